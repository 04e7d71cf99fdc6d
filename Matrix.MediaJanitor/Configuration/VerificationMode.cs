namespace Matrix.MediaJanitor.Configuration;

/// <summary>How an uploaded object is checked before the local file is deleted.</summary>
public enum VerificationMode
{
    /// <summary>Download the stored object and compare its length and SHA-256 with the expected ones (end to end, any S3 server).</summary>
    ReadBack,

    /// <summary>
    /// HEAD the object: length, the SHA-256 the janitor stored in the object's metadata, and the ETag as MD5 when the
    /// server uses MD5 ETags. Cheaper; does not re-read the stored bytes.
    /// </summary>
    Metadata,
}
