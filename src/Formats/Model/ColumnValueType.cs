namespace Streams.Formats.Model;

/// <summary>How a <see cref="ColumnVector"/> stores its values, and the record-model objects they stand for.</summary>
public enum ColumnValueType
{
    /// <summary><c>int</c> values, in <see cref="ColumnVector.Longs"/>.</summary>
    Int32,

    /// <summary><c>long</c> values, in <see cref="ColumnVector.Longs"/>.</summary>
    Int64,

    /// <summary><c>float</c> values, in <see cref="ColumnVector.Doubles"/>.</summary>
    Float,

    /// <summary><c>double</c> values, in <see cref="ColumnVector.Doubles"/>.</summary>
    Double,

    /// <summary><see cref="DecimalValue"/>s: the unscaled values in <see cref="ColumnVector.Longs"/>, the scale in <see cref="ColumnVector.Scale"/>.</summary>
    Decimal,

    /// <summary>UTC <see cref="DateTime"/>s: their ticks in <see cref="ColumnVector.Longs"/>.</summary>
    TimestampUtc,

    /// <summary>Local (unspecified-kind) <see cref="DateTime"/>s: their ticks in <see cref="ColumnVector.Longs"/>.</summary>
    TimestampLocal,

    /// <summary>Any value, dictionary-coded: indexes into <see cref="ColumnVector.Dictionary"/> in <see cref="ColumnVector.Longs"/>.</summary>
    Coded,
}
