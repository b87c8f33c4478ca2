using Streams.Api.Glue;
using Streams.Registry.Glue;

namespace Streams.Api.Registry;

/// <summary>
/// The Glue Schema Registry's operations on the Glue endpoint (registries, schemas, versions, version metadata,
/// tags), with request and response shapes as in the AWS Glue API reference, over <see cref="GlueSchemaRegistry"/>.
/// </summary>
public sealed class SchemaRegistryGlueOperations(GlueSchemaRegistry registry) : IGlueOperationSet
{
    private const int MaxPage = 100;
    private const int MaxMetadataPage = 50;
    private static readonly object Empty = new();

    /// <inheritdoc />
    public IReadOnlyDictionary<string, GlueOperation> Operations => _operations ??= Translated(new Dictionary<string, GlueOperation>
    {
        ["CreateRegistry"] = async (r, ct) =>
        {
            var tags = r.Optional<Dictionary<string, string>>("Tags");
            var created = await registry.CreateRegistryAsync(r.String("RegistryName"), r.OptionalString("Description"), tags, ct);
            return new { created.RegistryArn, created.RegistryName, created.Description, Tags = tags };
        },
        ["GetRegistry"] = async (r, ct) =>
        {
            var id = r.Get<RegistryIdBody>("RegistryId");
            return await registry.GetRegistryAsync(id.RegistryName, id.RegistryArn, ct);
        },
        ["ListRegistries"] = async (r, ct) =>
        {
            var (items, next) = await registry.ListRegistriesAsync(r.Offset(), r.MaxResults(MaxPage), ct);
            return new { Registries = items, NextToken = GlueRequest.Token(next) };
        },
        ["UpdateRegistry"] = async (r, ct) =>
        {
            var id = r.Get<RegistryIdBody>("RegistryId");
            var updated = await registry.UpdateRegistryAsync(id.RegistryName, id.RegistryArn, r.String("Description"), ct);
            return new { updated.RegistryName, updated.RegistryArn };
        },
        ["DeleteRegistry"] = async (r, ct) =>
        {
            var id = r.Get<RegistryIdBody>("RegistryId");
            var deleted = await registry.DeleteRegistryAsync(id.RegistryName, id.RegistryArn, ct);
            return new { deleted.RegistryName, deleted.RegistryArn, deleted.Status };
        },
        ["CreateSchema"] = async (r, ct) =>
        {
            var id = r.Optional<RegistryIdBody>("RegistryId");
            var tags = r.Optional<Dictionary<string, string>>("Tags");
            var (s, first) = await registry.CreateSchemaAsync(id?.RegistryName, id?.RegistryArn, r.String("SchemaName"), r.String("DataFormat"),
                r.OptionalString("Compatibility"), r.OptionalString("Description"), tags, r.OptionalString("SchemaDefinition"), ct);
            return new
            {
                s.RegistryName, s.RegistryArn, s.SchemaName, s.SchemaArn, s.Description, s.DataFormat, s.Compatibility,
                s.SchemaCheckpoint, s.LatestSchemaVersion, s.NextSchemaVersion, s.SchemaStatus, Tags = tags,
                first?.SchemaVersionId, SchemaVersionStatus = first?.Status,
            };
        },
        ["GetSchema"] = async (r, ct) => await registry.GetSchemaAsync(SchemaId(r), ct),
        ["ListSchemas"] = async (r, ct) =>
        {
            var id = r.Optional<RegistryIdBody>("RegistryId");
            var (items, next) = await registry.ListSchemasAsync(id?.RegistryName, id?.RegistryArn, r.Offset(), r.MaxResults(MaxPage), ct);
            return new { Schemas = items, NextToken = GlueRequest.Token(next) };
        },
        ["UpdateSchema"] = async (r, ct) =>
        {
            var updated = await registry.UpdateSchemaAsync(SchemaId(r), VersionNumber(r, "SchemaVersionNumber"), r.OptionalString("Compatibility"),
                r.OptionalString("Description"), ct);
            return new { updated.SchemaArn, updated.SchemaName, updated.RegistryName };
        },
        ["DeleteSchema"] = async (r, ct) =>
        {
            var deleted = await registry.DeleteSchemaAsync(SchemaId(r), ct);
            return new { deleted.SchemaArn, deleted.SchemaName, Status = deleted.SchemaStatus };
        },
        ["RegisterSchemaVersion"] = async (r, ct) =>
        {
            var registered = await registry.RegisterVersionAsync(SchemaId(r), r.String("SchemaDefinition"), ct);
            return new { registered.SchemaVersionId, registered.VersionNumber, registered.Status };
        },
        ["GetSchemaVersion"] = async (r, ct) =>
            await registry.GetVersionAsync(OptionalSchemaId(r), VersionId(r), VersionNumber(r, "SchemaVersionNumber"), ct),
        ["ListSchemaVersions"] = async (r, ct) =>
        {
            var (items, next) = await registry.ListVersionsAsync(SchemaId(r), r.Offset(), r.MaxResults(MaxPage), ct);
            return new
            {
                Schemas = items.Select(v => new { v.SchemaArn, v.SchemaVersionId, v.VersionNumber, v.Status, v.CreatedTime }).ToList(),
                NextToken = GlueRequest.Token(next),
            };
        },
        ["GetSchemaByDefinition"] = async (r, ct) =>
        {
            var v = await registry.GetVersionByDefinitionAsync(SchemaId(r), r.String("SchemaDefinition"), ct);
            return new { v.SchemaVersionId, v.SchemaArn, v.DataFormat, v.Status, v.CreatedTime };
        },
        ["CheckSchemaVersionValidity"] = async (r, ct) =>
        {
            var (valid, error) = await registry.CheckValidityAsync(r.String("DataFormat"), r.String("SchemaDefinition"), ct);
            return new { Valid = valid, Error = error };
        },
        ["GetSchemaVersionsDiff"] = async (r, ct) => new
        {
            Diff = await registry.DiffVersionsAsync(SchemaId(r), VersionNumber(r, "FirstSchemaVersionNumber") ?? Missing(r, "FirstSchemaVersionNumber"),
                VersionNumber(r, "SecondSchemaVersionNumber") ?? Missing(r, "SecondSchemaVersionNumber"), r.String("SchemaDiffType"), ct),
        },
        ["DeleteSchemaVersions"] = async (r, ct) => new
        {
            SchemaVersionErrors = (await registry.DeleteVersionsAsync(SchemaId(r), r.String("Versions"), ct))
                .Select(e => new { VersionNumber = e.Version, ErrorDetails = new { e.ErrorCode, ErrorMessage = e.Message } }).ToList(),
        },
        ["PutSchemaVersionMetadata"] = async (r, ct) =>
        {
            var pair = r.Get<MetadataPairBody>("MetadataKeyValue");
            var version = await registry.PutMetadataAsync(await MetadataVersionAsync(r, ct), pair.MetadataKey ?? "", pair.MetadataValue ?? "", ct);
            return MetadataAnswer(version, pair);
        },
        ["RemoveSchemaVersionMetadata"] = async (r, ct) =>
        {
            var pair = r.Get<MetadataPairBody>("MetadataKeyValue");
            var version = await registry.RemoveMetadataAsync(await MetadataVersionAsync(r, ct), pair.MetadataKey ?? "", pair.MetadataValue ?? "", ct);
            return MetadataAnswer(version, pair);
        },
        ["QuerySchemaVersionMetadata"] = async (r, ct) =>
        {
            var version = await MetadataVersionAsync(r, ct);
            var filter = (r.Optional<List<MetadataPairBody>>("MetadataList") ?? [])
                .Select(p => (p.MetadataKey ?? throw new GlueServiceException("InvalidInputException", "MetadataList entries need a MetadataKey."),
                    p.MetadataValue)).ToList();
            var (items, next) = await registry.QueryMetadataAsync(version, filter, r.Offset(), r.MaxResults(MaxMetadataPage), ct);
            return new
            {
                MetadataInfoMap = items.ToDictionary(i => i.Key, i => new
                {
                    i.Values[0].MetadataValue,
                    i.Values[0].CreatedTime,
                    OtherMetadataValueList = i.Values.Skip(1).ToList(),
                }),
                SchemaVersionId = version.SchemaVersionId.ToString(),
                NextToken = GlueRequest.Token(next),
            };
        },
        ["GetTags"] = async (r, ct) => new { Tags = await registry.GetTagsAsync(r.String("ResourceArn"), ct) },
        ["TagResource"] = async (r, ct) =>
        {
            await registry.TagAsync(r.String("ResourceArn"), r.Get<Dictionary<string, string>>("TagsToAdd"), ct);
            return Empty;
        },
        ["UntagResource"] = async (r, ct) =>
        {
            await registry.UntagAsync(r.String("ResourceArn"), r.Get<List<string>>("TagsToRemove"), ct);
            return Empty;
        },
    });

    private Dictionary<string, GlueOperation>? _operations;

    private static Dictionary<string, GlueOperation> Translated(Dictionary<string, GlueOperation> operations) =>
        operations.ToDictionary(o => o.Key, o => (GlueOperation)(async (request, ct) =>
        {
            try
            {
                return await o.Value(request, ct);
            }
            catch (GlueSchemaRegistryException e)
            {
                throw new GlueServiceException(e.ErrorType, e.Message);
            }
        }), StringComparer.Ordinal);

    private static GlueSchemaId SchemaId(GlueRequest r) =>
        OptionalSchemaId(r) ?? throw new GlueServiceException(GlueErrorTypes.InvalidInput, $"{r.Operation}: SchemaId is required.");

    private static GlueSchemaId? OptionalSchemaId(GlueRequest r) =>
        r.Optional<SchemaIdBody>("SchemaId") is { } id ? new GlueSchemaId(id.SchemaArn, id.SchemaName, id.RegistryName) : null;

    private static GlueVersionNumber? VersionNumber(GlueRequest r, string name) =>
        r.Optional<VersionNumberBody>(name) is { } n ? new GlueVersionNumber(n.LatestVersion ?? false, n.VersionNumber) : null;

    private static GlueVersionNumber Missing(GlueRequest r, string name) =>
        throw new GlueServiceException(GlueErrorTypes.InvalidInput, $"{r.Operation}: {name} is required.");

    private static Guid? VersionId(GlueRequest r) =>
        r.OptionalString("SchemaVersionId") is not { } text
            ? null
            : Guid.TryParseExact(text, "D", out var id)
                ? id
                : throw new GlueServiceException(GlueErrorTypes.InvalidInput,
                    $"{r.Operation}: SchemaVersionId '{text}' is not a UUID (8-4-4-4-12 hexadecimal digits).");

    private Task<GlueVersionRef> MetadataVersionAsync(GlueRequest r, CancellationToken ct) =>
        registry.ResolveVersionAsync(OptionalSchemaId(r), VersionNumber(r, "SchemaVersionNumber"), VersionId(r), ct);

    private static object MetadataAnswer(GlueVersionRef version, MetadataPairBody pair) => new
    {
        version.SchemaArn,
        version.SchemaName,
        version.RegistryName,
        version.LatestVersion,
        version.VersionNumber,
        SchemaVersionId = version.SchemaVersionId.ToString(),
        pair.MetadataKey,
        pair.MetadataValue,
    };

    private sealed record RegistryIdBody(string? RegistryName, string? RegistryArn);

    private sealed record SchemaIdBody(string? SchemaArn, string? SchemaName, string? RegistryName);

    private sealed record VersionNumberBody(bool? LatestVersion, long? VersionNumber);

    private sealed record MetadataPairBody(string? MetadataKey, string? MetadataValue);
}
