using System.Security.Cryptography;
using Npgsql;
using Streams.Catalog;
using Streams.Catalog.Model;
using Streams.Catalog.Store;
using Streams.Jobs.Model;

namespace Streams.Jobs.Store;

public sealed partial class JobStore
{
    /// <summary>Creates a trigger, <c>ACTIVATED</c> when <paramref name="activate"/> (and not <c>ON_DEMAND</c>), else <c>CREATED</c>.</summary>
    /// <exception cref="AlreadyExistsException">A trigger of that name exists.</exception>
    public async Task CreateTriggerAsync(Trigger trigger, bool activate, CancellationToken cancellationToken = default)
    {
        var name = CheckName(trigger.Name, "Trigger");
        var state = activate && trigger.Type != TriggerTypes.OnDemand ? TriggerStates.Activated : TriggerStates.Created;
        var id = "tr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await using var command = Command("""
            INSERT INTO jobs.triggers (name, definition, state, workflow_name, activated_on)
            VALUES ($1, $2, $3, $4, CASE WHEN $3 = 'ACTIVATED' THEN now() END) ON CONFLICT (name) DO NOTHING
            """, name, new Json(CatalogJson.Serialize(trigger with { Id = id, State = null })), state, trigger.WorkflowName);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new AlreadyExistsException($"Trigger {name} already exists.");
        }
    }

    /// <summary>A trigger.</summary>
    /// <exception cref="EntityNotFoundException">No such trigger.</exception>
    public async Task<Trigger> GetTriggerAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var command = Command($"SELECT {TriggerColumns} FROM jobs.triggers WHERE name = $1", CheckName(name, "Trigger"));
        return (await ReadAsync(command, ReadTrigger, cancellationToken)).SingleOrDefault()
               ?? throw new EntityNotFoundException($"Trigger {name} not found.");
    }

    /// <summary>Every trigger, by name; with <paramref name="dependentJobName"/>, those whose actions or conditions name that job.</summary>
    public async Task<IReadOnlyList<Trigger>> GetAllTriggersAsync(string? dependentJobName = null, CancellationToken cancellationToken = default)
    {
        await using var command = Command($"SELECT {TriggerColumns} FROM jobs.triggers ORDER BY name");
        var all = await ReadAsync(command, ReadTrigger, cancellationToken);
        return dependentJobName is null
            ? all
            : all.Where(t => (t.Actions ?? []).Any(a => a.JobName == dependentJobName)
                             || (t.Predicate?.Conditions ?? []).Any(c => c.JobName == dependentJobName)).ToList();
    }

    /// <summary>A page of <paramref name="all"/>.</summary>
    public static Page<T> PageOf<T>(IReadOnlyList<T> all, int offset, int limit) =>
        new(all.Skip(offset).Take(limit).ToList(), all.Count > offset + limit ? offset + limit : null);

    /// <summary>Replaces a trigger's definition, keeping its id, type, workflow and state.</summary>
    /// <exception cref="EntityNotFoundException">No such trigger.</exception>
    public async Task<Trigger> UpdateTriggerAsync(string name, Trigger update, CancellationToken cancellationToken = default)
    {
        var current = await GetTriggerAsync(name, cancellationToken);
        var updated = current with
        {
            Description = update.Description ?? current.Description,
            Schedule = update.Schedule ?? current.Schedule,
            Actions = update.Actions ?? current.Actions,
            Predicate = update.Predicate ?? current.Predicate,
            EventBatchingCondition = update.EventBatchingCondition ?? current.EventBatchingCondition,
        };
        await using var command = Command("UPDATE jobs.triggers SET definition = $2 WHERE name = $1",
            name, new Json(CatalogJson.Serialize(updated with { State = null })));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return updated;
    }

    /// <summary>Sets a trigger's state (<c>ACTIVATED</c> or <c>DEACTIVATED</c>).</summary>
    /// <exception cref="EntityNotFoundException">No such trigger.</exception>
    public async Task SetTriggerStateAsync(string name, string state, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            UPDATE jobs.triggers SET state = $2, activated_on = CASE WHEN $2 = 'ACTIVATED' THEN now() ELSE activated_on END WHERE name = $1
            """, CheckName(name, "Trigger"), state);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new EntityNotFoundException($"Trigger {name} not found.");
        }
    }

    /// <summary>Deletes a trigger; true if it existed.</summary>
    public async Task<bool> DeleteTriggerAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            WITH firings AS (DELETE FROM jobs.firings WHERE trigger_name = $1), events AS (DELETE FROM jobs.event_files WHERE trigger_name = $1)
            DELETE FROM jobs.triggers WHERE name = $1
            """,
            CheckName(name, "Trigger"));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>The activated triggers with the time each was activated (the scheduler's work list).</summary>
    internal async Task<IReadOnlyList<(Trigger Trigger, DateTimeOffset ActivatedOn)>> ActivatedTriggersAsync(CancellationToken cancellationToken)
    {
        await using var command = Command($"SELECT {TriggerColumns}, activated_on FROM jobs.triggers WHERE state = 'ACTIVATED' ORDER BY name");
        return await ReadAsync(command, r => (ReadTrigger(r), Time(r, 3)!.Value), cancellationToken);
    }

    /// <summary>When a trigger last fired, or null.</summary>
    internal async Task<DateTimeOffset?> LastFiredAsync(string triggerName, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT max(fired_on) FROM jobs.firings WHERE trigger_name = $1", triggerName);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime t ? new DateTimeOffset(t, TimeSpan.Zero) : null;
    }

    /// <summary>
    /// Records the firing <paramref name="fireKey"/> of a trigger and, in the same transaction, runs <paramref name="actions"/>
    /// (which queue the job runs). Returns false, doing nothing, when some host recorded this firing already.
    /// </summary>
    internal async Task<bool> FireAsync(string triggerName, string fireKey, string host,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task> actions, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = Command(connection,
                         "INSERT INTO jobs.firings (trigger_name, fire_key, host) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", triggerName, fireKey, host))
        {
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        await actions(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private const string TriggerColumns = "definition::text, state, workflow_name";

    private static Trigger ReadTrigger(NpgsqlDataReader r) => CatalogJson.Deserialize<Trigger>(r.GetString(0)) with { State = r.GetString(1) };
}
