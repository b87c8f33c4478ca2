namespace Streams.Pipelines.Expressions;

/// <summary>
/// The static types of the expression language. Numbers widen Int → Long → Decimal → Double; Other
/// covers values that can only be passed through, compared for equality or tested for null (records,
/// arrays, maps, bytes, uuids, times).
/// </summary>
public enum ValueKind
{
    Null,
    Boolean,
    Int,
    Long,
    Decimal,
    Double,
    String,
    Date,
    Timestamp,
    Other,
}
