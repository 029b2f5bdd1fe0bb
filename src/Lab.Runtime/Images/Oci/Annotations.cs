namespace Lab.Runtime.Images.Oci;

/// <summary>Annotation keys the image store reads and writes.</summary>
public static class Annotations
{
    /// <summary>OCI's name for an entry of an image layout's index.json: usually only the tag.</summary>
    public const string RefName = "org.opencontainers.image.ref.name";

    /// <summary>containerd's (and <c>docker save</c>'s) full image name, e.g. docker.io/library/nginx:latest.</summary>
    public const string ContainerdImageName = "io.containerd.image.name";

    public const string Created = "org.opencontainers.image.created";
}
