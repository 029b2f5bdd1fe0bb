namespace Lab.Runtime.Images.Oci;

/// <summary>Content did not hash to the digest it was announced under: corrupted, truncated or forged.</summary>
public sealed class DigestMismatchException(string what, Digest expected, Digest actual)
    : LabException(ErrorKind.InvalidParameter, $"{what}: expected digest {expected} but the content is {actual}")
{
    public Digest Expected { get; } = expected;
    public Digest Actual { get; } = actual;
}
