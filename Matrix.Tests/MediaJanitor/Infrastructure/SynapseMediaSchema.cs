namespace Matrix.Tests.MediaJanitor.Infrastructure;

/// <summary>
/// The media tables with the columns Synapse has (full schema 72 plus later deltas: authenticated, sha256,
/// quarantined_ts), written for these tests. Synapse requires the C collation, which the test databases use.
/// </summary>
public static class SynapseMediaSchema
{
    public const string Ddl = """
        CREATE TABLE local_media_repository (
            media_id text,
            media_type text,
            media_length integer,
            created_ts bigint,
            upload_name text,
            user_id text,
            quarantined_by text,
            url_cache text,
            last_access_ts bigint,
            safe_from_quarantine boolean DEFAULT false NOT NULL,
            authenticated boolean DEFAULT false,
            sha256 text,
            quarantined_ts bigint,
            UNIQUE (media_id)
        );
        CREATE TABLE local_media_repository_thumbnails (
            media_id text,
            thumbnail_width integer,
            thumbnail_height integer,
            thumbnail_type text,
            thumbnail_method text,
            thumbnail_length integer,
            UNIQUE (media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method)
        );
        CREATE TABLE remote_media_cache (
            media_origin text,
            media_id text,
            media_type text,
            created_ts bigint,
            upload_name text,
            media_length integer,
            filesystem_id text,
            last_access_ts bigint,
            quarantined_by text,
            authenticated boolean DEFAULT false,
            sha256 text,
            quarantined_ts bigint,
            UNIQUE (media_origin, media_id)
        );
        CREATE TABLE remote_media_cache_thumbnails (
            media_origin text,
            media_id text,
            thumbnail_width integer,
            thumbnail_height integer,
            thumbnail_method text,
            thumbnail_type text,
            thumbnail_length integer,
            filesystem_id text,
            UNIQUE (media_origin, media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method)
        );
        """;
}
