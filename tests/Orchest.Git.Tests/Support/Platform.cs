using System.Runtime.Versioning;

// These tests check Unix file modes, symlinks and flock-based locks, as the hosts that run served mode have them.
[assembly: UnsupportedOSPlatform("windows")]
