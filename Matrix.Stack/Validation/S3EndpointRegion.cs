using System.Text.RegularExpressions;

namespace Matrix.Stack.Validation;

/// <summary>
/// The region an AWS S3 endpoint names (<c>s3.eu-west-1.amazonaws.com</c>, <c>bucket.s3-eu-west-1.amazonaws.com</c>,
/// <c>s3.dualstack.eu-west-1.amazonaws.com</c>). Signing with another region fails every request, so
/// <c>s3.region</c> must agree; other endpoints (MinIO, Ceph) name no region and accept any.
/// </summary>
public static partial class S3EndpointRegion
{
    [GeneratedRegex(@"(?:^|\.)s3[.-](?:dualstack\.)?(?<region>[a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?$")]
    private static partial Regex AwsHost();

    /// <summary>The region in the endpoint's host name, or null when the host names none.</summary>
    public static string? Of(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && AwsHost().Match(uri.Host) is { Success: true } match
            ? match.Groups["region"].Value
            : null;
}
