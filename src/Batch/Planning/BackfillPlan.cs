using Streams.Batch.Reading;
using Streams.Batch.Sources;
using Streams.Formats.Parquet;

namespace Streams.Batch.Planning;

/// <summary>What a backfill will read and how: the resolved source, the schemas, the splits and the row-group predicates.</summary>
/// <param name="Source">The source's kept partitions and files.</param>
/// <param name="Layout">The schemas records are read as.</param>
/// <param name="Splits">The splits of the files to read.</param>
/// <param name="Predicates">The pipeline's filter conjuncts used to skip Parquet row groups.</param>
public sealed record BackfillPlan(ResolvedSource Source, ReadLayout Layout, IReadOnlyList<FileSplit> Splits, IReadOnlyList<ParquetPredicate> Predicates);
