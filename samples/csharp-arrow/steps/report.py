"""Prints the C# step's summary (JSON, snake_case keys) as a small report."""
import orchest

summary = orchest.get_inputs()["summary"]
title = orchest.get_pipeline_param("report_title", "Sensor report")
unit = summary["unit"]

print(title)
print(f"{summary['rows']} readings, alert above {summary['max_temperature']} {unit}")
for s in sorted(summary["sensors"], key=lambda s: -s["above_threshold"]):
    print(f"  {s['sensor']:<6} {s['readings']:>6} readings  mean {s['mean_temperature']:6.2f} {unit}"
          f"  {s['above_threshold']:>5} above")
assert sum(s["readings"] for s in summary["sensors"]) == summary["rows"]
