using System.Xml.Linq;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Orchest.Functions.Ui;

/// <summary>
/// The Data Protection key ring behind the UI's antiforgery tokens, kept in the installation's storage
/// account (container <c>[prefix-]orchest-ui</c>, blobs <c>keys/*.xml</c>) so that a form one host
/// rendered is accepted by every other host, as everything else of served mode is shared through
/// storage. Keys are stored as Data Protection writes them; whoever can read the account can already
/// do far more than forge a form token.
/// </summary>
internal sealed class UiKeyRing(BlobContainerClient container) : IXmlRepository
{
    private const string Folder = "keys/";

    /// <summary>The key ring's container for a storage name prefix (the same naming as the other containers).</summary>
    public static string ContainerName(string prefix) => prefix.Length == 0 ? "orchest-ui" : prefix + "-orchest-ui";

    // IXmlRepository is synchronous: Data Protection reads the ring once at first use and then about daily.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        container.CreateIfNotExists();
        return container.GetBlobs(BlobTraits.None, BlobStates.None, Folder, CancellationToken.None)
            .Select(item => XElement.Parse(container.GetBlobClient(item.Name).DownloadContent().Value.Content.ToString()))
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        container.CreateIfNotExists();
        container.GetBlobClient(Folder + friendlyName + ".xml").Upload(BinaryData.FromString(element.ToString(SaveOptions.DisableFormatting)), overwrite: true);
    }
}
