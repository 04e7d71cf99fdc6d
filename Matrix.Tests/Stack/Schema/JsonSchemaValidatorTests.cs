using System.Text.Json.Nodes;
using Matrix.Tests.Infrastructure;

namespace Matrix.Tests.Stack.Schema;

/// <summary>The validator itself: each rule rejects what it must, so the Synapse schema tests can fail.</summary>
public class JsonSchemaValidatorTests
{
    private static JsonSchemaValidator Validator(string schemaYaml) => new(YamlJson.Parse(schemaYaml)!);

    private static IReadOnlyList<SchemaError> Errors(string schemaYaml, string instanceYaml, bool strict = false) =>
        Validator(schemaYaml).Validate(YamlJson.Parse(instanceYaml), strict);

    [Fact]
    public void TypeRejectsEveryOtherType()
    {
        const string schema = "type: object\nproperties:\n  port: {type: integer}\n  name: {type: string}\n  ratio: {type: number}\n  flag: {type: boolean}";
        Assert.Empty(Errors(schema, "port: 8008\nname: x\nratio: 0.5\nflag: true"));
        Assert.Empty(Errors(schema, "ratio: 2"));

        var errors = Errors(schema, "port: \"8008\"\nname: 12\nratio: \"0.5\"\nflag: \"true\"");
        Assert.Equal(["/flag", "/name", "/port", "/ratio"], errors.Select(e => e.Path).Order());
        Assert.Single(Errors(schema, "port: 8008.0"));
        Assert.Single(Errors(schema, "port: 80.5"));
        Assert.Single(Errors("type: object", "[1]"));
    }

    [Fact]
    public void TypeListAcceptsAnyListedTypeOnly()
    {
        const string schema = "type: [\"string\", \"null\"]";
        Assert.Empty(Errors(schema, "\"x\""));
        Assert.Empty(Errors(schema, "~"));
        Assert.Single(Errors(schema, "3"));
        Assert.Single(Errors(schema, "{a: 1}"));
    }

    [Fact]
    public void EnumAndConstRejectOtherValues()
    {
        Assert.Empty(Errors("enum: [http, metrics]", "metrics"));
        Assert.Single(Errors("enum: [http, metrics]", "manhole"));
        Assert.Empty(Errors("const: untracked", "untracked"));
        Assert.Single(Errors("const: untracked", "tracked"));
        Assert.Empty(Errors("enum: [1, 2]", "2"));
        Assert.Single(Errors("enum: [1, 2]", "\"2\""));
    }

    [Fact]
    public void PatternIsAnUnanchoredSearch()
    {
        Assert.Empty(Errors("pattern: \"^[a-z]+$\"", "abc"));
        Assert.Single(Errors("pattern: \"^[a-z]+$\"", "abc1"));
        Assert.Empty(Errors("pattern: \"b\"", "abc"));
        Assert.Empty(Errors("pattern: \"b\"", "12"));
    }

    [Fact]
    public void RequiredPropertiesMustBePresent()
    {
        const string schema = "type: object\nrequired: [type]\nproperties:\n  type: {type: string}";
        Assert.Empty(Errors(schema, "type: livekit"));
        var error = Assert.Single(Errors(schema, "livekit_service_url: x"));
        Assert.Contains("'type'", error.Message);
    }

    [Fact]
    public void AdditionalPropertiesAppliesToUndeclaredKeysOnly()
    {
        const string closed = "type: object\nproperties:\n  a: {type: integer}\nadditionalProperties: false";
        Assert.Empty(Errors(closed, "a: 1"));
        Assert.Equal("/b", Assert.Single(Errors(closed, "a: 1\nb: 2")).Path);

        const string typed = "type: object\nadditionalProperties: {type: object}";
        Assert.Empty(Errors(typed, "main: {host: h, port: 1}"));
        Assert.Equal("/main", Assert.Single(Errors(typed, "main: localhost")).Path);
    }

    [Fact]
    public void ItemsChecksEveryElement()
    {
        const string schema = "type: array\nitems: {type: string, enum: [client, federation]}";
        Assert.Empty(Errors(schema, "[client, federation]"));
        Assert.Equal("/1", Assert.Single(Errors(schema, "[client, clients]")).Path);
    }

    [Fact]
    public void OneOfNeedsExactlyOneAnyOfAtLeastOneAllOfAll()
    {
        const string oneOf = "oneOf: [{type: boolean}, {type: string, const: untracked}]";
        Assert.Empty(Errors(oneOf, "true"));
        Assert.Empty(Errors(oneOf, "untracked"));
        Assert.Single(Errors(oneOf, "tracked"));
        Assert.Single(Errors("oneOf: [{type: string}, {pattern: a}]", "abc"));

        Assert.Empty(Errors("anyOf: [{type: string}, {pattern: a}]", "abc"));
        Assert.Single(Errors("anyOf: [{type: integer}, {type: boolean}]", "abc"));

        Assert.Empty(Errors("allOf: [{type: string}, {pattern: a}]", "abc"));
        Assert.Single(Errors("allOf: [{type: string}, {pattern: z}]", "abc"));
    }

    [Fact]
    public void RefResolvesInsideTheDocument()
    {
        const string schema = "type: object\nproperties:\n  lifetime: {$ref: \"#/$defs/duration\"}\n$defs:\n  duration: {type: [string, integer]}";
        Assert.Empty(Errors(schema, "lifetime: 1h"));
        Assert.Empty(Errors(schema, "lifetime: 3600"));
        Assert.Single(Errors(schema, "lifetime: [1h]"));
        Assert.Throws<InvalidOperationException>(() => Errors("$ref: \"#/$defs/missing\"", "x"));
    }

    [Fact]
    public void AValidationKeywordItCannotCheckThrowsInsteadOfPassing()
    {
        var error = Assert.Throws<NotSupportedException>(() => Errors("type: integer\nminimum: 1", "0"));
        Assert.Contains("minimum", error.Message);
    }

    [Fact]
    public void StrictModeReportsUnknownTopLevelKeysOnly()
    {
        const string schema = "type: object\nproperties:\n  server_name: {type: string}\n  database: {type: object}";
        const string instance = "server_name: x\nserver_nmae: y\ndatabase: {anything: 1}";
        Assert.Empty(Errors(schema, instance));
        var error = Assert.Single(Errors(schema, instance, strict: true));
        Assert.Equal("/server_nmae", error.Path);
    }

    [Fact]
    public void TheSynapseSchemaRejectsWrongTypesUnknownResourcesAndUnknownOptions()
    {
        var schema = YamlJson.Parse(File.ReadAllText(RepositoryPaths.ConformanceFile("synapse-config.schema.yaml")))!;
        var validator = new JsonSchemaValidator(schema);
        const string valid = """
            server_name: "example.org"
            report_stats: false
            enable_registration: no
            listeners:
              - port: 8008
                type: http
                resources:
                  - names: [client, federation]
            turn_user_lifetime: 1h
            """;
        Assert.Empty(validator.Validate(YamlJson.Parse(valid), strict: true));

        var badResource = validator.Validate(YamlJson.Parse(valid.Replace("[client, federation]", "[clients, federation]")), strict: true);
        Assert.Equal("/listeners/0/resources/0/names/0", Assert.Single(badResource).Path);

        var portAsText = validator.Validate(YamlJson.Parse(valid.Replace("port: 8008", "port: \"8008\"")), strict: true);
        Assert.Equal("/listeners/0/port", Assert.Single(portAsText).Path);

        var quotedBoolean = validator.Validate(YamlJson.Parse(valid.Replace("enable_registration: no", "enable_registration: \"no\"")), strict: true);
        Assert.Equal("/enable_registration", Assert.Single(quotedBoolean).Path);

        var badListenerType = validator.Validate(YamlJson.Parse(valid.Replace("type: http", "type: https")), strict: true);
        Assert.Equal("/listeners/0/type", Assert.Single(badListenerType).Path);

        var typo = YamlJson.Parse(valid.Replace("enable_registration:", "enable_registraton:"));
        Assert.Empty(validator.Validate(typo));
        Assert.Equal("/enable_registraton", Assert.Single(validator.Validate(typo, strict: true)).Path);
    }

    [Fact]
    public void ASubschemaCanBeSelectedByPointer()
    {
        var schema = YamlJson.Parse(File.ReadAllText(RepositoryPaths.ConformanceFile("synapse-config.schema.yaml")))!;
        var validator = new JsonSchemaValidator(schema);
        var listener = YamlJson.Parse("{type: http, port: 8080, resources: [{names: [media]}]}");
        Assert.Empty(validator.Validate(listener, schemaPointer: "/properties/listeners/items"));
        var wrong = YamlJson.Parse("{type: http, port: 8080, resources: [{names: [medias]}]}");
        Assert.Single(validator.Validate(wrong, schemaPointer: "/properties/listeners/items"));
    }
}
