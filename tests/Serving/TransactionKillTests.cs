using Npgsql;
using Streams.Formats.Model;
using Streams.Serving;
using Streams.Testing;
using static Streams.Serving.Tests.ServingTestData;

namespace Streams.Serving.Tests;

public sealed class TransactionKillTests
{
    [Fact]
    public async Task Killing_the_connection_mid_transaction_moves_neither_rows_nor_positions()
    {
        await using var db = await ServingDatabase.CreateAsync();
        await using var admin = await MigratedAsync(db.ConnectionString);
        var adminStore = new ServingStore(admin);
        var output = Output();
        await adminStore.EnsureOutputAsync(output);
        await adminStore.WriteSpeedAsync(output, [Row("home", 0, 1)], [new SourcePosition("clicks", 0, 10)]);

        // The writer gets its own application name so the killer can find its backend.
        var writerConnection = new NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = "serving-writer", Pooling = false };
        await using var writerSource = NpgsqlDataSource.Create(writerConnection.ConnectionString);
        var writer = new ServingStore(writerSource);

        // Hold a lock on the positions table so the writer stops after its rows, inside its transaction.
        await using var blocker = await admin.OpenConnectionAsync();
        await using var blockTransaction = await blocker.BeginTransactionAsync();
        await using (var lockCommand = new NpgsqlCommand("LOCK TABLE serving.positions IN ACCESS EXCLUSIVE MODE", blocker, blockTransaction))
        {
            await lockCommand.ExecuteNonQueryAsync();
        }

        var write = writer.WriteSpeedAsync(output, [Row("home", 0, 5), Row("home", 1, 7)], [new SourcePosition("clicks", 0, 12)]);

        int pid = 0;
        for (var attempt = 0; attempt < 200 && pid == 0; attempt++)
        {
            await using var find = admin.CreateCommand(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'serving-writer' AND wait_event_type = 'Lock' AND state = 'active'");
            pid = await find.ExecuteScalarAsync() is int p ? p : 0;
            if (pid == 0)
            {
                await Task.Delay(50);
            }
        }

        pid.Should().NotBe(0, "the writer should be waiting for the positions lock after copying its rows");
        await using (var rowsInFlight = admin.CreateCommand("SELECT count(*) FROM pg_locks l WHERE l.pid = $1 AND l.relation = 'serving.page_views_speed'::regclass"))
        {
            rowsInFlight.Parameters.Add(new NpgsqlParameter { Value = pid });
            ((long)(await rowsInFlight.ExecuteScalarAsync())!).Should().BeGreaterThan(0, "the writer has already written its rows");
        }

        await using (var kill = admin.CreateCommand("SELECT pg_terminate_backend($1)"))
        {
            kill.Parameters.Add(new NpgsqlParameter { Value = pid });
            (await kill.ExecuteScalarAsync()).Should().Be(true);
        }

        await write.Invoking(w => w).Should().ThrowAsync<Exception>();
        await blockTransaction.RollbackAsync();

        (await ReadViewAsync(admin)).Should().Equal(("home", Minute(0), 1L));
        (await adminStore.ReadPositionsAsync("page_views")).Should().Equal(new SourcePosition("clicks", 0, 10));
    }
}
