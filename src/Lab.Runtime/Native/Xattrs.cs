using System.Runtime.InteropServices;
using System.Text;
using Lab.Runtime.Interop;
using Tmds.Linux;

namespace Lab.Runtime.Native;

/// <summary>Extended attributes, through a descriptor of an open (not O_PATH) file or directory, or by path without
/// following a symlink in the last component (l*xattr). The descriptor calls carry moby's tolerance: a filesystem
/// without xattrs lists none, and one that refuses to set an attribute (EPERM, EOPNOTSUPP) is no error.</summary>
internal static unsafe class Xattrs
{
    const int MaxSize = 65536; // XATTR_LIST_MAX and XATTR_SIZE_MAX

    /// <summary>Every attribute of <paramref name="fd"/>, by name; none when the filesystem has no xattrs.</summary>
    public static Dictionary<string, byte[]> All(FileDescriptor fd)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var list = new byte[MaxSize];
        nint n;
        fixed (byte* l = list) n = Syscalls.flistxattr(fd.Fd, l, (nuint)list.Length);
        if (n <= 0) return result; // ENOTSUP and friends: no xattrs
        foreach (var name in Encoding.UTF8.GetString(list, 0, (int)n).Split('\0', StringSplitOptions.RemoveEmptyEntries))
            if (Get(fd, name) is { } value) result[name] = value;
        return result;
    }

    /// <summary>The value of <paramref name="name"/> on <paramref name="fd"/>, or null when it cannot be read.</summary>
    public static byte[]? Get(FileDescriptor fd, string name)
    {
        var value = new byte[MaxSize];
        nint n;
        fixed (byte* np = Z(name))
        fixed (byte* v = value)
            n = Syscalls.fgetxattr(fd.Fd, np, v, (nuint)value.Length);
        return n < 0 ? null : value.AsSpan(0, (int)n).ToArray();
    }

    /// <summary>Sets <paramref name="name"/>; a filesystem or a kernel that refuses it (EOPNOTSUPP, EPERM) is ignored.</summary>
    public static void Set(FileDescriptor fd, string name, byte[] value, string what)
    {
        fixed (byte* np = Z(name))
        fixed (byte* v = value)
            if (Syscalls.fsetxattr(fd.Fd, np, v, (nuint)value.Length, 0) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != LibC.EOPNOTSUPP && errno != LibC.EPERM)
                    throw new LinuxException(errno, $"setxattr {name} on '{what}'");
            }
    }

    /// <summary>The length of <paramref name="name"/>'s value on <paramref name="path"/>, read into
    /// <paramref name="value"/>; null when there is no such attribute (ENODATA) or the filesystem has none
    /// (ENOTSUP). A value longer than the buffer is an error (ERANGE).</summary>
    public static int? GetNoFollow(string path, string name, Span<byte> value)
    {
        fixed (byte* p = Z(path))
        fixed (byte* n = Z(name))
        fixed (byte* v = value)
        {
            var length = Syscalls.lgetxattr(p, n, v, (nuint)value.Length);
            if (length >= 0) return (int)length;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.ENODATA || errno == LibC.ENOTSUP) return null;
            throw new LinuxException(errno, $"lgetxattr '{path}' {name}");
        }
    }

    public static void SetNoFollow(string path, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = Z(path))
        fixed (byte* n = Z(name))
        fixed (byte* v = value)
            if (Syscalls.lsetxattr(p, n, v, (nuint)value.Length, 0) != 0)
                throw LinuxException.FromLastError($"lsetxattr {name} '{path}'");
    }

    static byte[] Z(string s) => Encoding.UTF8.GetBytes(s + "\0");
}
