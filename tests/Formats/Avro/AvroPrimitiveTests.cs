using System.Buffers;
using Streams.Formats.Avro.Binary;

namespace Streams.Formats.Tests.Avro;

public sealed class AvroPrimitiveTests
{
    [Theory]
    [InlineData(0L, "00")]
    [InlineData(-1L, "01")]
    [InlineData(1L, "02")]
    [InlineData(-64L, "7F")]
    [InlineData(64L, "8001")]
    [InlineData(8192L, "808001")]
    [InlineData(long.MaxValue, "FEFFFFFFFFFFFFFFFF01")]
    [InlineData(long.MinValue, "FFFFFFFFFFFFFFFFFF01")]
    public void Longs_use_zig_zag_varints(long value, string hex)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new AvroWriter(buffer);
        writer.WriteLong(value);
        writer.Flush();
        Convert.ToHexString(buffer.WrittenSpan).Should().Be(hex);

        var reader = new AvroReader(Convert.FromHexString(hex));
        reader.ReadLong().Should().Be(value);
        reader.IsAtEnd.Should().BeTrue();
    }

    [Fact]
    public void Floats_doubles_strings_and_bytes_round_trip()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new AvroWriter(buffer);
        writer.WriteFloat(1.5f);
        writer.WriteDouble(-2.25);
        writer.WriteString("héllo");
        writer.WriteBytes([1, 2, 3]);
        writer.WriteBoolean(true);
        writer.WriteInt(int.MinValue);
        writer.WriteString(new string('x', 10_000));
        writer.Flush();

        Convert.ToHexString(buffer.WrittenSpan[..12]).Should().Be("0000C03F0000000000000" + "2C0");
        var reader = new AvroReader(buffer.WrittenSpan);
        reader.ReadFloat().Should().Be(1.5f);
        reader.ReadDouble().Should().Be(-2.25);
        reader.ReadString().Should().Be("héllo");
        reader.ReadBytes().Should().Equal(1, 2, 3);
        reader.ReadBoolean().Should().BeTrue();
        reader.ReadInt().Should().Be(int.MinValue);
        reader.ReadString().Should().HaveLength(10_000);
        reader.IsAtEnd.Should().BeTrue();
    }

    [Fact]
    public void A_truncated_varint_reports_its_offset()
    {
        var act = () => new AvroReader([0x02, 0x80, 0x80], baseOffset: 100).ReadLongTwice();
        act.Should().Throw<AvroDataException>().Which.Offset.Should().Be(101);
    }

    [Fact]
    public void A_varint_longer_than_64_bits_is_malformed()
    {
        var act = () => new AvroReader(Convert.FromHexString("FFFFFFFFFFFFFFFFFF7F")).ReadLong();
        act.Should().Throw<AvroDataException>().WithMessage("*more than 64 bits*").Which.Offset.Should().Be(0);
    }

    [Fact]
    public void An_int_outside_32_bits_is_malformed()
    {
        var act = () => new AvroReader(Convert.FromHexString("8080808020")).ReadInt();
        act.Should().Throw<AvroDataException>().WithMessage("*does not fit in 32 bits*");
    }

    [Fact]
    public void A_string_longer_than_the_data_reports_the_offset_of_its_length()
    {
        var act = () => new AvroReader([0x00, 0x14, 0x41], baseOffset: 10).ReadStringAfterOne();
        act.Should().Throw<AvroDataException>().WithMessage("*length of 10 bytes but only 1 remain*").Which.Offset.Should().Be(11);
    }

    [Fact]
    public void Invalid_utf8_is_malformed()
    {
        var act = () => new AvroReader([0x04, 0xC3, 0x28]).ReadString();
        act.Should().Throw<AvroDataException>().WithMessage("*invalid UTF-8*");
    }

    [Fact]
    public void A_boolean_other_than_0_or_1_is_malformed()
    {
        var act = () => new AvroReader([0x02]).ReadBoolean();
        act.Should().Throw<AvroDataException>().Which.Offset.Should().Be(0);
    }

    [Fact]
    public void A_truncated_double_is_reported()
    {
        var act = () => new AvroReader([1, 2, 3]).ReadDouble();
        act.Should().Throw<AvroDataException>().WithMessage("*ends while reading a double*");
    }
}

internal static class AvroReaderTestExtensions
{
    public static long ReadLongTwice(this AvroReader reader)
    {
        reader.ReadLong();
        return reader.ReadLong();
    }

    public static string ReadStringAfterOne(this AvroReader reader)
    {
        reader.ReadLong();
        return reader.ReadString();
    }
}
