using System.Text.Json;

namespace Streams.Registry.Tests;

/// <summary>The Glue Schema Registry API driven by boto3 (botocore's Glue model), the independent client.</summary>
public sealed class GlueSchemaRegistryBoto3Tests(GlueRegistryServer server) : IClassFixture<GlueRegistryServer>
{
    [Fact]
    public async Task Schemas_and_versions_follow_Glue_shapes_statuses_paging_and_errors()
    {
        var output = await server.Boto3Async("""
            out = {}
            v1 = '{"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]}'
            v2 = '{"type":"record","name":"Order","fields":[{"name":"id","type":"long"},{"name":"note","type":["null","string"],"default":null}]}'
            v2_spaced = '{"type": "record", "name": "Order", "fields": [{"name": "id", "type": "long"}, {"name": "note", "type": ["null", "string"], "default": null}]}'
            broken = '{"type":"record","name":"Order","fields":[{"name":"id","type":"long"},{"name":"total","type":"double"}]}'
            glue.create_registry(RegistryName="shop")
            sid = {"RegistryName": "shop", "SchemaName": "orders"}
            created = glue.create_schema(RegistryId={"RegistryName": "shop"}, SchemaName="orders", DataFormat="AVRO",
                Compatibility="BACKWARD", Description="orders", Tags={"k": "v"}, SchemaDefinition=v1)
            out["created"] = {k: created[k] for k in ("RegistryName", "SchemaName", "SchemaArn", "DataFormat", "Compatibility",
                "SchemaCheckpoint", "LatestSchemaVersion", "NextSchemaVersion", "SchemaStatus", "SchemaVersionStatus")}
            out["duplicate"] = error(glue.create_schema, RegistryId={"RegistryName": "shop"}, SchemaName="orders", DataFormat="AVRO")
            out["no_registry"] = error(glue.create_schema, RegistryId={"RegistryName": "nope"}, SchemaName="x", DataFormat="AVRO")
            out["bad_definition"] = error(glue.create_schema, SchemaName="bad", DataFormat="AVRO", SchemaDefinition='{"type":"nope"}')
            out["bad_format"] = error(glue.create_schema, SchemaName="bad", DataFormat="XML")
            out["bad_compat"] = error(glue.create_schema, SchemaName="bad", DataFormat="AVRO", Compatibility="SIDEWAYS")
            out["bad_not_created"] = error(glue.get_schema, SchemaId={"SchemaName": "bad"})

            r2 = glue.register_schema_version(SchemaId=sid, SchemaDefinition=v2)
            out["r2"] = [r2["VersionNumber"], r2["Status"], len(r2["SchemaVersionId"])]
            again = glue.register_schema_version(SchemaId=sid, SchemaDefinition=v2_spaced)
            out["same_again"] = again["SchemaVersionId"] == r2["SchemaVersionId"]
            failed = glue.register_schema_version(SchemaId=sid, SchemaDefinition=broken)
            out["failed"] = [failed["Status"], failed["VersionNumber"]]
            fv = glue.get_schema_version(SchemaVersionId=failed["SchemaVersionId"])
            out["failed_read"] = [fv["Status"], fv["SchemaDefinition"] == broken]
            out["invalid_version"] = error(glue.register_schema_version, SchemaId=sid, SchemaDefinition='{"type":')

            got = glue.get_schema_version(SchemaVersionId=r2["SchemaVersionId"])
            out["by_id"] = {k: got[k] for k in ("VersionNumber", "Status", "DataFormat", "SchemaArn")}
            out["by_id_definition"] = got["SchemaDefinition"] == v2
            latest = glue.get_schema_version(SchemaId=sid, SchemaVersionNumber={"LatestVersion": True})
            out["latest"] = [latest["VersionNumber"], latest["SchemaVersionId"] == r2["SchemaVersionId"]]
            out["by_number"] = glue.get_schema_version(SchemaId=sid, SchemaVersionNumber={"VersionNumber": 1})["SchemaDefinition"] == v1
            out["missing_number"] = error(glue.get_schema_version, SchemaId=sid, SchemaVersionNumber={"VersionNumber": 9})
            out["missing_id"] = error(glue.get_schema_version, SchemaVersionId="00000000-0000-0000-0000-000000000000")
            out["bad_id"] = error(glue.get_schema_version, SchemaVersionId="not-a-uuid-at-all-not-a-uuid-at-all0")

            schema = glue.get_schema(SchemaId={"SchemaArn": created["SchemaArn"]})
            out["schema"] = {k: schema[k] for k in ("SchemaName", "Compatibility", "SchemaCheckpoint", "LatestSchemaVersion",
                "NextSchemaVersion", "SchemaStatus", "Description")}
            out["schema_missing"] = error(glue.get_schema, SchemaId={"RegistryName": "shop", "SchemaName": "nope"})

            for i in range(3):
                glue.create_schema(RegistryId={"RegistryName": "shop"}, SchemaName=f"s{i}", DataFormat="JSON",
                    SchemaDefinition='{"type":"object","properties":{"a":{"type":"integer"}}}')
            page = glue.list_schemas(RegistryId={"RegistryName": "shop"}, MaxResults=2)
            out["schemas_page"] = [s["SchemaName"] for s in page["Schemas"]]
            out["schemas_all"] = [s["SchemaName"] for p in glue.get_paginator("list_schemas").paginate(
                RegistryId={"RegistryName": "shop"}, PaginationConfig={"PageSize": 2}) for s in p["Schemas"]]
            out["schema_item_keys"] = sorted(page["Schemas"][0].keys())
            out["bad_token"] = error(glue.list_schemas, RegistryId={"RegistryName": "shop"}, NextToken="garbage")

            versions = glue.list_schema_versions(SchemaId=sid, MaxResults=1)
            out["versions_page"] = [v["VersionNumber"] for v in versions["Schemas"]]
            out["versions_all"] = [v["VersionNumber"] for p in glue.get_paginator("list_schema_versions").paginate(
                SchemaId=sid, PaginationConfig={"PageSize": 1}) for v in p["Schemas"]]
            out["version_item_keys"] = sorted(versions["Schemas"][0].keys())

            found = glue.get_schema_by_definition(SchemaId=sid, SchemaDefinition=v2_spaced)
            out["by_definition"] = [found["SchemaVersionId"] == r2["SchemaVersionId"], found["Status"], found["DataFormat"]]
            out["by_definition_missing"] = error(glue.get_schema_by_definition, SchemaId=sid, SchemaDefinition=broken)

            out["valid"] = glue.check_schema_version_validity(DataFormat="AVRO", SchemaDefinition=v1)["Valid"]
            invalid = glue.check_schema_version_validity(DataFormat="AVRO", SchemaDefinition='{"type":"record","name":"X"}')
            out["invalid"] = [invalid["Valid"], "fields" in invalid.get("Error", "")]
            diff = glue.get_schema_versions_diff(SchemaId=sid, FirstSchemaVersionNumber={"VersionNumber": 1},
                SecondSchemaVersionNumber={"VersionNumber": 2}, SchemaDiffType="SYNTAX_DIFF")["Diff"]
            out["diff"] = [l for l in diff.splitlines() if l.startswith("+ ") or l.startswith("- ")]

            glue.update_schema(SchemaId=sid, Compatibility="FULL_ALL", Description="all orders")
            out["updated"] = [glue.get_schema(SchemaId=sid)[k] for k in ("Compatibility", "Description")]
            glue.update_schema(SchemaId=sid, SchemaVersionNumber={"VersionNumber": 2})
            out["checkpoint"] = glue.get_schema(SchemaId=sid)["SchemaCheckpoint"]
            out["update_nothing"] = error(glue.update_schema, SchemaId=sid)

            glue.update_schema(SchemaId=sid, Compatibility="DISABLED")
            out["disabled"] = [glue.get_schema(SchemaId=sid)["Compatibility"],
                error(glue.register_schema_version, SchemaId=sid, SchemaDefinition='{"type":"record","name":"Order","fields":[]}')]
            glue.update_schema(SchemaId=sid, Compatibility="NONE")
            for n in range(2):
                glue.register_schema_version(SchemaId=sid, SchemaDefinition='{"type":"record","name":"Order%d","fields":[]}' % n)
            out["version_limit"] = error(glue.register_schema_version, SchemaId=sid, SchemaDefinition='{"type":"record","name":"Order9","fields":[]}')

            out["delete_checkpoint"] = error(glue.delete_schema_versions, SchemaId=sid, Versions="2")
            result = glue.delete_schema_versions(SchemaId=sid, Versions="1,3-4,40")
            out["delete_errors"] = [(e["VersionNumber"], e["ErrorDetails"]["ErrorCode"]) for e in result["SchemaVersionErrors"]]
            out["after_versions"] = [v["VersionNumber"] for v in glue.list_schema_versions(SchemaId=sid)["Schemas"]]
            out["bad_range"] = error(glue.delete_schema_versions, SchemaId=sid, Versions="5-2")

            deleted = glue.delete_schema(SchemaId={"RegistryName": "shop", "SchemaName": "s0"})
            out["deleted"] = [deleted["SchemaName"], deleted["Status"]]
            out["deleted_gone"] = error(glue.get_schema, SchemaId={"RegistryName": "shop", "SchemaName": "s0"})
            print(json.dumps(out, separators=(",", ":")))
            """);
        var o = JsonDocument.Parse(output).RootElement;
        Assert.Equal(
            """{"RegistryName":"shop","SchemaName":"orders","SchemaArn":"arn:aws:glue:us-east-1:000000000000:schema/shop/orders","DataFormat":"AVRO","Compatibility":"BACKWARD","SchemaCheckpoint":1,"LatestSchemaVersion":1,"NextSchemaVersion":2,"SchemaStatus":"AVAILABLE","SchemaVersionStatus":"AVAILABLE"}""",
            o.GetProperty("created").GetRawText());
        Assert.Equal("AlreadyExistsException", o.GetProperty("duplicate").GetString());
        Assert.Equal("EntityNotFoundException", o.GetProperty("no_registry").GetString());
        Assert.Equal("InvalidInputException", o.GetProperty("bad_definition").GetString());
        Assert.Equal("InvalidInputException", o.GetProperty("bad_format").GetString());
        Assert.Equal("InvalidInputException", o.GetProperty("bad_compat").GetString());
        Assert.Equal("EntityNotFoundException", o.GetProperty("bad_not_created").GetString());
        Assert.Equal("[2,\"AVAILABLE\",36]", o.GetProperty("r2").GetRawText());
        Assert.True(o.GetProperty("same_again").GetBoolean());
        Assert.Equal("""["FAILURE",3]""", o.GetProperty("failed").GetRawText());
        Assert.Equal("""["FAILURE",true]""", o.GetProperty("failed_read").GetRawText());
        Assert.Equal("InvalidInputException", o.GetProperty("invalid_version").GetString());
        Assert.Equal("""{"VersionNumber":2,"Status":"AVAILABLE","DataFormat":"AVRO","SchemaArn":"arn:aws:glue:us-east-1:000000000000:schema/shop/orders"}""",
            o.GetProperty("by_id").GetRawText());
        Assert.True(o.GetProperty("by_id_definition").GetBoolean());
        Assert.Equal("[2,true]", o.GetProperty("latest").GetRawText());
        Assert.True(o.GetProperty("by_number").GetBoolean());
        Assert.Equal("EntityNotFoundException", o.GetProperty("missing_number").GetString());
        Assert.Equal("EntityNotFoundException", o.GetProperty("missing_id").GetString());
        Assert.Equal("InvalidInputException", o.GetProperty("bad_id").GetString());
        Assert.Equal(
            """{"SchemaName":"orders","Compatibility":"BACKWARD","SchemaCheckpoint":1,"LatestSchemaVersion":2,"NextSchemaVersion":3,"SchemaStatus":"AVAILABLE","Description":"orders"}""",
            o.GetProperty("schema").GetRawText());
        Assert.Equal("EntityNotFoundException", o.GetProperty("schema_missing").GetString());
        Assert.Equal("""["orders","s0"]""", o.GetProperty("schemas_page").GetRawText());
        Assert.Equal("""["orders","s0","s1","s2"]""", o.GetProperty("schemas_all").GetRawText());
        Assert.Equal("""["CreatedTime","Description","RegistryName","SchemaArn","SchemaName","SchemaStatus","UpdatedTime"]""",
            o.GetProperty("schema_item_keys").GetRawText());
        Assert.Equal("InvalidInputException", o.GetProperty("bad_token").GetString());
        Assert.Equal("[1]", o.GetProperty("versions_page").GetRawText());
        Assert.Equal("[1,2]", o.GetProperty("versions_all").GetRawText());
        Assert.Equal("""["CreatedTime","SchemaArn","SchemaVersionId","Status","VersionNumber"]""", o.GetProperty("version_item_keys").GetRawText());
        Assert.Equal("""[true,"AVAILABLE","AVRO"]""", o.GetProperty("by_definition").GetRawText());
        Assert.Equal("EntityNotFoundException", o.GetProperty("by_definition_missing").GetString());
        Assert.True(o.GetProperty("valid").GetBoolean());
        Assert.Equal("[false,true]", o.GetProperty("invalid").GetRawText());
        var diff = o.GetProperty("diff").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(diff, l => l.StartsWith("+ ", StringComparison.Ordinal) && l.Contains("\"note\"", StringComparison.Ordinal));
        Assert.DoesNotContain(diff, l => l.Contains("\"id\"", StringComparison.Ordinal));
        Assert.Equal("""["FULL_ALL","all orders"]""", o.GetProperty("updated").GetRawText());
        Assert.Equal(2, o.GetProperty("checkpoint").GetInt32());
        Assert.Equal("InvalidInputException", o.GetProperty("update_nothing").GetString());
        Assert.Equal("""["DISABLED","InvalidInputException"]""", o.GetProperty("disabled").GetRawText());
        Assert.Equal("ResourceNumberLimitExceededException", o.GetProperty("version_limit").GetString());
        Assert.Equal("InvalidInputException", o.GetProperty("delete_checkpoint").GetString());
        Assert.Equal("""[[40,"EntityNotFoundException"]]""", o.GetProperty("delete_errors").GetRawText());
        Assert.Equal("[2]", o.GetProperty("after_versions").GetRawText());
        Assert.Equal("InvalidInputException", o.GetProperty("bad_range").GetString());
        Assert.Equal("""["s0","DELETING"]""", o.GetProperty("deleted").GetRawText());
        Assert.Equal("EntityNotFoundException", o.GetProperty("deleted_gone").GetString());
    }

    [Fact]
    public async Task Version_metadata_is_put_queried_limited_and_removed()
    {
        var output = await server.Boto3Async("""
            out = {}
            glue.create_schema(SchemaName="meta", DataFormat="AVRO", Compatibility="NONE", SchemaDefinition='"string"')
            vid = glue.register_schema_version(SchemaId={"SchemaName": "meta"}, SchemaDefinition='"long"')["SchemaVersionId"]
            put = glue.put_schema_version_metadata(SchemaVersionId=vid, MetadataKeyValue={"MetadataKey": "owner", "MetadataValue": "ana"})
            out["put"] = {k: put[k] for k in ("RegistryName", "SchemaName", "LatestVersion", "VersionNumber", "MetadataKey", "MetadataValue")}
            glue.put_schema_version_metadata(SchemaId={"SchemaName": "meta"}, SchemaVersionNumber={"LatestVersion": True},
                MetadataKeyValue={"MetadataKey": "owner", "MetadataValue": "bo"})
            glue.put_schema_version_metadata(SchemaVersionId=vid, MetadataKeyValue={"MetadataKey": "tier", "MetadataValue": "gold"})
            out["duplicate"] = error(glue.put_schema_version_metadata, SchemaVersionId=vid,
                MetadataKeyValue={"MetadataKey": "tier", "MetadataValue": "gold"})
            q = glue.query_schema_version_metadata(SchemaVersionId=vid)
            out["keys"] = sorted(q["MetadataInfoMap"].keys())
            owner = q["MetadataInfoMap"]["owner"]
            out["owner"] = sorted([owner["MetadataValue"]] + [o["MetadataValue"] for o in owner["OtherMetadataValueList"]])
            out["query_id"] = q["SchemaVersionId"] == vid
            out["filtered"] = sorted(glue.query_schema_version_metadata(SchemaVersionId=vid,
                MetadataList=[{"MetadataKey": "tier"}])["MetadataInfoMap"].keys())
            page = glue.query_schema_version_metadata(SchemaVersionId=vid, MaxResults=1)
            out["paged"] = [len(page["MetadataInfoMap"]), "NextToken" in page]
            for i in range(7):
                glue.put_schema_version_metadata(SchemaVersionId=vid, MetadataKeyValue={"MetadataKey": f"k{i}", "MetadataValue": "x"})
            out["limit"] = error(glue.put_schema_version_metadata, SchemaVersionId=vid,
                MetadataKeyValue={"MetadataKey": "k9", "MetadataValue": "x"})
            removed = glue.remove_schema_version_metadata(SchemaVersionId=vid, MetadataKeyValue={"MetadataKey": "owner", "MetadataValue": "ana"})
            out["removed"] = removed["MetadataValue"]
            out["remove_missing"] = error(glue.remove_schema_version_metadata, SchemaVersionId=vid,
                MetadataKeyValue={"MetadataKey": "owner", "MetadataValue": "ana"})
            out["owner_after"] = glue.query_schema_version_metadata(SchemaVersionId=vid,
                MetadataList=[{"MetadataKey": "owner"}])["MetadataInfoMap"]["owner"]["MetadataValue"]
            out["unknown_version"] = error(glue.query_schema_version_metadata, SchemaVersionId="00000000-0000-0000-0000-000000000001")
            print(json.dumps(out, separators=(",", ":")))
            """);
        var o = JsonDocument.Parse(output).RootElement;
        Assert.Equal("""{"RegistryName":"default-registry","SchemaName":"meta","LatestVersion":true,"VersionNumber":2,"MetadataKey":"owner","MetadataValue":"ana"}""",
            o.GetProperty("put").GetRawText());
        Assert.Equal("AlreadyExistsException", o.GetProperty("duplicate").GetString());
        Assert.Equal("""["owner","tier"]""", o.GetProperty("keys").GetRawText());
        Assert.Equal("""["ana","bo"]""", o.GetProperty("owner").GetRawText());
        Assert.True(o.GetProperty("query_id").GetBoolean());
        Assert.Equal("""["tier"]""", o.GetProperty("filtered").GetRawText());
        Assert.Equal("[1,true]", o.GetProperty("paged").GetRawText());
        Assert.Equal("ResourceNumberLimitExceededException", o.GetProperty("limit").GetString());
        Assert.Equal("ana", o.GetProperty("removed").GetString());
        Assert.Equal("EntityNotFoundException", o.GetProperty("remove_missing").GetString());
        Assert.Equal("bo", o.GetProperty("owner_after").GetString());
        Assert.Equal("EntityNotFoundException", o.GetProperty("unknown_version").GetString());
    }
}

/// <summary>Registries through boto3, on a server of their own: the listing and the registry quota count every registry.</summary>
public sealed class GlueRegistriesBoto3Tests(GlueRegistryServer server) : IClassFixture<GlueRegistryServer>
{
    [Fact]
    public async Task Registries_are_created_listed_paged_updated_tagged_and_deleted()
    {
        var output = await server.Boto3Async("""
            out = {}
            created = glue.create_registry(RegistryName="payments", Description="money", Tags={"team": "core"})
            out["created"] = {k: created[k] for k in ("RegistryName", "RegistryArn", "Description", "Tags")}
            out["duplicate"] = error(glue.create_registry, RegistryName="payments")
            out["bad_name"] = error(glue.create_registry, RegistryName="no spaces")
            glue.create_registry(RegistryName="orders")
            got = glue.get_registry(RegistryId={"RegistryName": "payments"})
            out["got"] = {k: got[k] for k in ("RegistryName", "Description", "Status")}
            out["times"] = [got["CreatedTime"][:2], got["UpdatedTime"][-1]]
            out["by_arn"] = glue.get_registry(RegistryId={"RegistryArn": created["RegistryArn"]})["RegistryName"]
            first = glue.list_registries(MaxResults=2)
            out["first_page"] = [r["RegistryName"] for r in first["Registries"]]
            out["all"] = [r["RegistryName"] for p in glue.get_paginator("list_registries").paginate(PaginationConfig={"PageSize": 1})
                for r in p["Registries"]]
            out["item_keys"] = sorted(first["Registries"][0].keys())
            glue.create_registry(RegistryName="third")
            out["limit"] = error(glue.create_registry, RegistryName="fourth")
            out["updated"] = glue.update_registry(RegistryId={"RegistryName": "payments"}, Description="more money")["RegistryName"]
            out["description"] = glue.get_registry(RegistryId={"RegistryName": "payments"})["Description"]
            arn = created["RegistryArn"]
            glue.tag_resource(ResourceArn=arn, TagsToAdd={"env": "prod"})
            glue.untag_resource(ResourceArn=arn, TagsToRemove=["team"])
            out["tags"] = glue.get_tags(ResourceArn=arn)["Tags"]
            out["tags_missing"] = error(glue.get_tags, ResourceArn="arn:aws:glue:us-east-1:000000000000:registry/nope")
            deleted = glue.delete_registry(RegistryId={"RegistryName": "third"})
            out["deleted"] = [deleted["RegistryName"], deleted["Status"]]
            out["after_delete"] = error(glue.get_registry, RegistryId={"RegistryName": "third"})
            out["default_delete"] = error(glue.delete_registry, RegistryId={"RegistryName": "default-registry"})
            print(json.dumps(out, separators=(",", ":")))
            """);
        var o = JsonDocument.Parse(output).RootElement;
        Assert.Equal("payments", o.GetProperty("created").GetProperty("RegistryName").GetString());
        Assert.Equal("arn:aws:glue:us-east-1:000000000000:registry/payments", o.GetProperty("created").GetProperty("RegistryArn").GetString());
        Assert.Equal("core", o.GetProperty("created").GetProperty("Tags").GetProperty("team").GetString());
        Assert.Equal("AlreadyExistsException", o.GetProperty("duplicate").GetString());
        Assert.Equal("InvalidInputException", o.GetProperty("bad_name").GetString());
        Assert.Equal("""{"RegistryName":"payments","Description":"money","Status":"AVAILABLE"}""", o.GetProperty("got").GetRawText());
        Assert.Equal("""["20","Z"]""", o.GetProperty("times").GetRawText());
        Assert.Equal("payments", o.GetProperty("by_arn").GetString());
        Assert.Equal("""["default-registry","orders"]""", o.GetProperty("first_page").GetRawText());
        Assert.Equal("""["default-registry","orders","payments"]""", o.GetProperty("all").GetRawText());
        Assert.Equal("""["CreatedTime","Description","RegistryArn","RegistryName","Status","UpdatedTime"]""", o.GetProperty("item_keys").GetRawText());
        Assert.Equal("ResourceNumberLimitExceededException", o.GetProperty("limit").GetString());
        Assert.Equal("more money", o.GetProperty("description").GetString());
        Assert.Equal("""{"env":"prod"}""", o.GetProperty("tags").GetRawText());
        Assert.Equal("EntityNotFoundException", o.GetProperty("tags_missing").GetString());
        Assert.Equal("""["third","DELETING"]""", o.GetProperty("deleted").GetRawText());
        Assert.Equal("EntityNotFoundException", o.GetProperty("after_delete").GetString());
        Assert.Equal("InvalidInputException", o.GetProperty("default_delete").GetString());
    }
}
