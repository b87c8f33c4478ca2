namespace Streams.Formats.Parquet.Metadata;

/// <summary>The kinds of page in a column chunk.</summary>
public enum PageType
{
    DataPage = 0,
    IndexPage = 1,
    DictionaryPage = 2,
    DataPageV2 = 3,
}
