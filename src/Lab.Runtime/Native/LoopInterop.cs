namespace Lab.Runtime.Native;

/// <summary>The loop driver's ioctls and structs as linux/loop.h names them (x86_64), checked against the headers
/// by the tests. Tmds.LibC has none of them. (They belong beside Interop/Syscalls.cs; they sit here because this
/// file's owner is the loop device wrapper.)</summary>
internal static class LoopInterop
{
    /// <summary>On /dev/loop-control: the number of a free loop device, created if none is free.</summary>
    public const int LOOP_CTL_GET_FREE = 0x4C82;

    /// <summary>On /dev/loopN: bind a backing file and set its status in one call (Linux 5.8).</summary>
    public const int LOOP_CONFIGURE = 0x4C0A;

    /// <summary>Unbind by itself when the last opener closes the device: no loop device outlives its users.</summary>
    public const uint LO_FLAGS_AUTOCLEAR = 4;

    /// <summary>The backing file is read and written with O_DIRECT: its pages are not cached twice.</summary>
    public const uint LO_FLAGS_DIRECT_IO = 16;

    public const int LO_NAME_SIZE = 64;

    /// <summary>Block device major of loop devices (linux/major.h).</summary>
    public const int LOOP_MAJOR = 7;
}

#pragma warning disable CS0649 // filled by the kernel or by field initialisers at the call site
internal unsafe struct loop_info64
{
    public ulong lo_device;
    public ulong lo_inode;
    public ulong lo_rdevice;
    public ulong lo_offset;
    public ulong lo_sizelimit;
    public uint lo_number;
    public uint lo_encrypt_type;
    public uint lo_encrypt_key_size;
    public uint lo_flags;
    public fixed byte lo_file_name[LoopInterop.LO_NAME_SIZE];
    public fixed byte lo_crypt_name[LoopInterop.LO_NAME_SIZE];
    public fixed byte lo_encrypt_key[32];
    public fixed ulong lo_init[2];
}

internal unsafe struct loop_config
{
    public uint fd;
    public uint block_size;
    public loop_info64 info;
    public fixed ulong __reserved[8];
}
#pragma warning restore CS0649
