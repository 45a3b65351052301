using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Xunit.Abstractions;

namespace Orchest.Sdk.Tests;

/// <summary>Output sets in blob storage (location kind "blob", PROTOCOL.md §2-3) against a real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobOutputSetTests(AzuriteBlobServer azurite, ITestOutputHelper output) : IDisposable
{
    private readonly TestPipeline _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    [AzuriteFact]
    public async Task Outputs_UnnamedNamedAndArrow_AreReadByTheNextStep()
    {
        var c = await azurite.CreateContainerAsync();
        var a = Step(c, "A");
        await a.OutputAsync(new { Rows = 3, Labels = new[] { "a", "é" } }, null);
        await a.OutputAsync(new[] { 1, 2, 3 }, "my data");
        await a.OutputAsync(ArrowTests.Batches(1000, 300), "table");
        await a.OutputAsync("größe", "größe");

        var prefix = BlobContainer.SetPrefix("A");
        string[] files =
        [
            "named-gr%C3%B6%C3%9Fe.data", "named-gr%C3%B6%C3%9Fe.meta.json", "named-my%20data.data", "named-my%20data.meta.json",
            "named-table.data", "named-table.meta.json", "unnamed.data", "unnamed.meta.json",
        ];
        Assert.Equal(files.Select(f => prefix + f).Order(StringComparer.Ordinal), await c.NamesAsync(prefix));
        using var meta = JsonDocument.Parse((await c.GetAsync(prefix + "named-table.meta.json"))!);
        Assert.Equal("ARROW_TABLE", meta.RootElement.GetProperty("serialization").GetString());
        Assert.Equal("dotnet", meta.RootElement.GetProperty("producer").GetString());
        Assert.Equal((await c.GetAsync(prefix + "named-table.data"))!.Length, meta.RootElement.GetProperty("size").GetInt64());

        var inputs = await Step(c, "B", "A").GetInputsAsync();

        Assert.Equal("""{"rows":3,"labels":["a","é"]}""", Assert.Single(inputs.Unnamed).AsJson().GetRawText().Replace("\\u00E9", "é", StringComparison.Ordinal));
        Assert.Equal([1, 2, 3], inputs["my data"].Deserialize<int[]>()!);
        Assert.Equal("größe", inputs["größe"].Deserialize<string>());
        long rows = 0;
        await foreach (var batch in inputs["table"].ReadArrowAsync())
        {
            using (batch)
            {
                Assert.Equal(rows, ((Int64Array)batch.Column("id")).GetValue(0));
                rows += batch.Length;
            }
        }

        Assert.Equal(1000, rows);
    }

    [AzuriteFact]
    public async Task GetInputsAsync_UnnamedValues_FollowIncomingConnections()
    {
        var c = await azurite.CreateContainerAsync();
        foreach (var title in new[] { "A", "C", "D" })
        {
            await Step(c, title).OutputAsync($"from {title}", null);
        }

        var inputs = await Step(c, "B", "D", "A", "C").GetInputsAsync();

        Assert.Equal(["from D", "from A", "from C"], inputs.Unnamed.Select(v => v.Deserialize<string>()));
    }

    [AzuriteFact]
    public async Task GetInputsAsync_ParentWithoutOutputSet_IsNotFound()
    {
        var c = await azurite.CreateContainerAsync();
        await Step(c, "A").OutputAsync(1, null);
        var b = Step("B", [("A", c.InputOf("A")), ("P", null)], c.OutputOf("B"));

        var error = await Assert.ThrowsAsync<OutputNotFoundException>(() => b.GetInputsAsync());

        Assert.Equal("Output from incoming step \"P\" (\"uuid-P\") cannot be found. Try rerunning it.", error.Message);
    }

    [AzuriteFact]
    public async Task GetInputsAsync_ContainerThatDoesNotExist_IsNotFound()
    {
        var c = await azurite.CreateContainerAsync();
        var missing = c.InputOf("A");
        missing["container_url"] = $"{azurite.Endpoint}/nosuchcontainer";
        missing["query"] = AzuriteBlobServer.ContainerSas("nosuchcontainer", "rl");

        var error = await Assert.ThrowsAsync<OutputNotFoundException>(() => Step("B", [("A", missing)], c.OutputOf("B")).GetInputsAsync());

        Assert.Equal("uuid-A", error.StepUuid);
    }

    [AzuriteFact]
    public async Task GetInputsAsync_EmptySet_ContributesNothing()
    {
        var c = await azurite.CreateContainerAsync();

        var inputs = await Step(c, "B", "A").GetInputsAsync();

        Assert.Empty(inputs.Unnamed);
        Assert.Empty(inputs.Named);
    }

    [AzuriteFact]
    public async Task GetInputsAsync_PayloadWithoutMetadata_AndOtherStrayBlobs_AreIgnored()
    {
        var c = await azurite.CreateContainerAsync();
        var prefix = BlobContainer.SetPrefix("A");
        await c.PutAsync(prefix + "named-half.data", "[1, 2"u8.ToArray());
        await c.PutAsync(prefix + "named-nopayload.meta.json", """{"name": "nopayload", "serialization": "JSON"}"""u8.ToArray());
        await c.PutAsync(prefix + ".named-x.meta.json.tmp-1", "{}"u8.ToArray());
        await c.PutAsync(prefix + "deeper/unnamed.meta.json", "{}"u8.ToArray());
        await c.PutAsync(prefix + "deeper/unnamed.data", "1"u8.ToArray());
        await Step(c, "A").OutputAsync("kept", "kept");

        var inputs = await Step(c, "B", "A").GetInputsAsync();

        Assert.Empty(inputs.Unnamed);
        Assert.Equal("kept", Assert.Single(inputs.Named).Value.Deserialize<string>());
    }

    [AzuriteFact]
    public async Task OutputAsync_SameNameAgain_DeletesOldMetadataBeforeTheNewPayloadIsCommitted()
    {
        var c = await azurite.CreateContainerAsync();
        var a = Step(c, "A");
        await a.OutputAsync("first", "x");

        var requests = new List<string>();
        BlobRest.Observer.Value = (method, uri) =>
        {
            lock (requests)
            {
                requests.Add(Describe(method, uri));
            }
        };
        BlobOutputSet.TestOverrides.Value = (BlockSize: 4, ListPageSize: null);
        try
        {
            await a.OutputAsync("second, longer than one block", "x");
        }
        finally
        {
            BlobRest.Observer.Value = null;
            BlobOutputSet.TestOverrides.Value = null;
        }

        // Blocks go up uncommitted first; the old metadata goes before the payload is committed; the
        // new metadata is last.
        var firstDelete = requests.IndexOf("DELETE named-x.meta.json");
        Assert.True(firstDelete > 0, string.Join("\n", requests));
        Assert.All(requests[..firstDelete], r => Assert.Equal("PUT named-x.data comp=block", r));
        Assert.Equal(["DELETE named-x.meta.json", "PUT named-x.data comp=block", "PUT named-x.data comp=blocklist", "PUT named-x.meta.json"], requests[firstDelete..]);
        var inputs = await Step(c, "B", "A").GetInputsAsync();
        Assert.Equal("second, longer than one block", inputs["x"].Deserialize<string>());
    }

    [AzuriteFact]
    public async Task OutputAsync_ValueThatFailsToSerialise_LeavesTheEarlierOutputUntouched()
    {
        var c = await azurite.CreateContainerAsync();
        var a = Step(c, "A");
        await a.OutputAsync(new[] { 1.5 }, "x");

        await Assert.ThrowsAsync<ArgumentException>(() => a.OutputAsync(new[] { double.NaN }, "x"));

        var inputs = await Step(c, "B", "A").GetInputsAsync();
        Assert.Equal([1.5], inputs["x"].Deserialize<double[]>()!);
    }

    [AzuriteFact]
    public async Task OutputAsync_40MbArrowTable_StreamsThroughBlocksAndRoundTrips()
    {
        const int Rows = 1_400_000;
        var c = await azurite.CreateContainerAsync();
        var a = Step(c, "A");

        // Built before timing, so the figure is the SDK's upload, not batch building. The uploader
        // holds at most two 8 MiB blocks, whatever the table's size.
        var batches = Enumerable.Range(0, (Rows + 65_535) / 65_536)
            .Select(i => ArrowTests.Batch(i * 65_536, Math.Min(65_536, Rows - (i * 65_536))))
            .ToList();
        var write = Stopwatch.StartNew();
        await a.OutputAsync(batches, "big");
        write.Stop();
        batches.ForEach(batch => batch.Dispose());

        var blob = BlobContainer.SetPrefix("A") + "named-big.data";
        var inputs = await Step(c, "B", "A").GetInputsAsync();
        var size = inputs["big"].Size!.Value;
        Assert.True(size > 40_000_000, $"{size} bytes");
        Assert.Equal((int)((size + BlobOutputSet.DefaultBlockSize - 1) / BlobOutputSet.DefaultBlockSize), await c.CommittedBlocksAsync(blob));

        var read = Stopwatch.StartNew();
        long rows = 0;
        await foreach (var batch in inputs["big"].ReadArrowAsync())
        {
            using (batch)
            {
                var ids = (Int64Array)batch.Column("id");
                Assert.Equal(rows, ids.GetValue(0));
                Assert.Equal(rows + batch.Length - 1, ids.GetValue(batch.Length - 1));
                rows += batch.Length;
            }
        }

        read.Stop();
        Assert.Equal(Rows, rows);
        var mb = size / 1e6;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{mb:F1} MB Arrow through Azurite: up {mb / write.Elapsed.TotalSeconds:F1} MB/s, down {mb / read.Elapsed.TotalSeconds:F1} MB/s"));
    }

    [AzuriteFact]
    public async Task OutputAsync_JsonLargerThanABlock_IsUploadedInBlocks()
    {
        var c = await azurite.CreateContainerAsync();
        var value = Enumerable.Range(0, 5000).Select(i => new { I = i, S = new string('é', i % 7) }).ToArray();
        BlobOutputSet.TestOverrides.Value = (BlockSize: 16 * 1024, ListPageSize: null);
        try
        {
            await Step(c, "A").OutputAsync(value, null);
        }
        finally
        {
            BlobOutputSet.TestOverrides.Value = null;
        }

        var blob = BlobContainer.SetPrefix("A") + "unnamed.data";
        var size = (await c.GetAsync(blob))!.Length;
        Assert.Equal((size + (16 * 1024) - 1) / (16 * 1024), await c.CommittedBlocksAsync(blob));
        var inputs = await Step(c, "B", "A").GetInputsAsync();
        var got = inputs.Unnamed[0].AsJson();
        Assert.Equal(5000, got.GetArrayLength());
        Assert.Equal("éééééé", got[4997].GetProperty("s").GetString());
    }

    [AzuriteFact]
    public async Task GetInputsAsync_ManyOutputs_FollowsNextMarker()
    {
        var c = await azurite.CreateContainerAsync();
        var a = Step(c, "A");
        for (var i = 0; i < 7; i++)
        {
            await a.OutputAsync(i, $"n{i}");
        }

        var lists = new List<Uri>();
        BlobRest.Observer.Value = (method, uri) =>
        {
            if (uri.Query.Contains("comp=list", StringComparison.Ordinal))
            {
                lists.Add(uri);
            }
        };
        BlobOutputSet.TestOverrides.Value = (BlockSize: BlobOutputSet.DefaultBlockSize, ListPageSize: 3);
        Inputs inputs;
        try
        {
            inputs = await Step(c, "B", "A").GetInputsAsync();
        }
        finally
        {
            BlobRest.Observer.Value = null;
            BlobOutputSet.TestOverrides.Value = null;
        }

        Assert.Equal(Enumerable.Range(0, 7), Enumerable.Range(0, 7).Select(i => inputs[$"n{i}"].Deserialize<int>()));
        Assert.Equal(5, lists.Count); // 14 blobs, 3 per page
        Assert.Equal(4, lists.Count(u => u.Query.Contains("&marker=", StringComparison.Ordinal)));
    }

    [AzuriteFact]
    public async Task BadSignature_FailsWith403_AndTheSasIsInNoMessage()
    {
        var c = await azurite.CreateContainerAsync();
        await Step(c, "A").OutputAsync(1, null);
        var badInput = c.InputOf("A");
        badInput["query"] = BreakSignature((string)badInput["query"]!);
        var badOutput = c.OutputOf("C");
        badOutput["query"] = BreakSignature((string)badOutput["query"]!);

        var readError = await Assert.ThrowsAsync<BlobStorageException>(() => Step("B", [("A", badInput)], c.OutputOf("B")).GetInputsAsync());
        var writeError = await Assert.ThrowsAsync<BlobStorageException>(() => Step("C", [], badOutput).OutputAsync(ArrowTests.Batches(10, 10), null));

        foreach (var (error, location) in new[] { (readError, badInput), (writeError, badOutput) })
        {
            Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
            Assert.Equal("AuthorizationFailure", error.ErrorCode);
            Assert.Contains("HTTP 403 AuthorizationFailure", error.Message, StringComparison.Ordinal);
            Assert.Contains(c.Url + "/outputs/proj/ppl/", error.Message, StringComparison.Ordinal);
            var query = (string)location["query"]!;
            var text = error.ToString();
            foreach (var secret in new[] { query, "sig=", query.Split("sig=")[1], "se=", "sp=" })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }

        Assert.IsAssignableFrom<IOException>(readError);
    }

    [AzuriteFact]
    public async Task OutputAsync_WithAReadOnlySas_ExplainsTheMissingPermission()
    {
        var c = await azurite.CreateContainerAsync();
        var readOnly = c.InputOf("A");

        var error = await Assert.ThrowsAsync<BlobStorageException>(() => Step("A", [], readOnly).OutputAsync(1, null));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Contains("lack a permission", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain((string)readOnly["query"]!, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BlobLocationWithoutContainerUrl_SaysWhatIsMissing_WithoutTheSas()
    {
        var step = _pipeline.Step("A");
        var path = _pipeline.WriteContextJson(step, $$$"""
            {"protocol": 1, "step_uuid": "{{{step.Uuid}}}", "step_title": "A",
             "output": {"kind": "blob", "url": "https://acct.blob.core.windows.net/c", "prefix": "p/", "query": "sv=1&sig=SECRET"}}
            """);

        var error = Assert.Throws<StepContextException>(() => StepContext.Load(path));

        Assert.Contains("The \"blob\" location of step \"A\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("needs \"container_url\", \"prefix\" and \"query\" strings", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_RemovesQueriesAndSignatures()
    {
        var redacted = BlobRest.Redact("GET https://a.blob.core.windows.net/c/p/x.data?sv=2021&sig=abc%2Fdef&se=1 failed; sig=zzz");

        Assert.DoesNotContain("abc", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("zzz", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("se=1", redacted, StringComparison.Ordinal);
        Assert.Contains("https://a.blob.core.windows.net/c/p/x.data", redacted, StringComparison.Ordinal);
    }

    internal static string Describe(HttpMethod method, Uri uri)
    {
        var name = Uri.UnescapeDataString(uri.AbsolutePath[(uri.AbsolutePath.LastIndexOf('/') + 1)..]);
        var comp = uri.Query.TrimStart('?').Split('&').FirstOrDefault(p => p.StartsWith("comp=", StringComparison.Ordinal));
        return comp is null ? $"{method} {name}" : $"{method} {name} {comp}";
    }

    private static string BreakSignature(string query) => query.Replace("sig=", "sig=AAAA", StringComparison.Ordinal);

    private StepContext Step(BlobContainer c, string title, params string[] parents) =>
        Step(title, [.. parents.Select(p => (p, (JsonNode?)c.InputOf(p)))], c.OutputOf(title));

    private StepContext Step(string title, (string Title, JsonNode? Location)[] parents, JsonNode output) =>
        StepContext.Load(WriteContext(_pipeline, title, parents, output));

    /// <summary>Writes a step context file as the engine does in served mode; returns its path.</summary>
    internal static string WriteContext(TestPipeline pipeline, string title, (string Title, JsonNode? Location)[] parents, JsonNode output)
    {
        var context = new JsonObject
        {
            ["protocol"] = 1,
            ["run_uuid"] = "run-1",
            ["pipeline_uuid"] = "ppl",
            ["step_uuid"] = "uuid-" + title,
            ["step_title"] = title,
            ["attempt"] = 1,
            ["output"] = output,
            ["inputs"] = new JsonArray([.. parents.Select(p => new JsonObject
            {
                ["step_uuid"] = "uuid-" + p.Title,
                ["title"] = p.Title,
                ["location"] = p.Location,
            })]),
        };
        return pipeline.WriteContextJson(pipeline.Step(title), context.ToJsonString());
    }
}
