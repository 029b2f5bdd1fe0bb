using Lab.Runtime.Terminals;

namespace Lab.Runtime.Tests.Terminals;

public class ScrollbackTests
{
    [Fact]
    public void Before_wrapping_the_snapshot_is_everything_written()
    {
        var s = new Scrollback(8);
        s.Append("abc"u8);
        s.Append("de"u8);
        Assert.Equal("abcde"u8.ToArray(), s.Snapshot());
    }

    [Fact]
    public void After_wrapping_the_snapshot_is_the_newest_capacity_bytes_in_order()
    {
        var s = new Scrollback(8);
        s.Append("abcdef"u8);
        s.Append("ghijk"u8);
        Assert.Equal("defghijk"u8.ToArray(), s.Snapshot());
    }

    [Fact]
    public void A_write_larger_than_the_ring_keeps_its_tail()
    {
        var s = new Scrollback(4);
        s.Append("xy"u8);
        s.Append("0123456789"u8);
        Assert.Equal("6789"u8.ToArray(), s.Snapshot());
        s.Append("A"u8);
        Assert.Equal("789A"u8.ToArray(), s.Snapshot());
    }
}
