using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Streams.Api.Glue;
using Streams.Catalog.Crawlers;
using Streams.Catalog.Storage;
using Streams.Catalog.Store;
using Streams.Jobs;
using Streams.Jobs.Runs;
using Streams.Jobs.Scheduling;
using Streams.Jobs.Store;

namespace Streams.Api.Jobs;

/// <summary>Registers jobs, triggers and workflows behind the Glue API, and this host's runner and scheduler.</summary>
public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Glue job operations over the PostgreSQL at <paramref name="connectionString"/>, and (unless
    /// <see cref="JobsOptions.Enabled"/> is false) the runner and scheduler as a hosted service. Needs the services of
    /// <c>AddGlueCatalog</c> (lake, catalog, crawlers); <paramref name="streaming"/> gives streaming jobs their Kafka
    /// (null: streaming runs fail naming the missing setting); <paramref name="clock"/> is the scheduler's clock.
    /// </summary>
    public static IServiceCollection AddGlueJobs(this IServiceCollection services, string connectionString, JobsOptions options,
        Func<IServiceProvider, StreamingEnvironment?>? streaming = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var time = clock ?? TimeProvider.System;
        services.AddSingleton(options);
        services.AddSingleton(_ => new JobStore(NpgsqlDataSource.Create(connectionString)));
        services.AddSingleton(sp => new JobEnvironment
        {
            Postgres = sp.GetRequiredService<JobStore>().DataSource,
            Lake = sp.GetRequiredService<LakeStorageProvider>(),
            Catalog = sp.GetService<CatalogStore>(),
            Crawlers = sp.GetService<CrawlerService>(),
            Streaming = streaming?.Invoke(sp),
        });
        services.AddSingleton(sp => new JobRunner(sp.GetRequiredService<JobStore>(), sp.GetRequiredService<JobEnvironment>(), options, time,
            sp.GetService<ILogger<JobRunner>>()));
        services.AddSingleton(sp => new JobScheduler(sp.GetRequiredService<JobStore>(), sp.GetRequiredService<JobRunner>(), options, time,
            sp.GetService<CatalogStore>(), sp.GetService<CrawlerService>(), sp.GetService<ILogger<JobScheduler>>(), sp.GetRequiredService<JobEnvironment>()));
        services.AddSingleton(sp => new JobBookmarks(sp.GetRequiredService<JobStore>(), sp.GetRequiredService<JobEnvironment>()));
        services.AddSingleton(sp => new WorkflowGraphs(sp.GetRequiredService<JobStore>(), sp.GetService<CatalogStore>()));
        services.AddSingleton<IGlueOperationSet, JobGlueOperations>();
        services.AddHostedService<JobsHost>();
        return services;
    }

    /// <summary>Applies the migrations before the API serves, then runs this host's runner and scheduler until it stops.</summary>
    private sealed class JobsHost(JobStore store, JobRunner runner, JobScheduler scheduler, JobsOptions options) : IHostedService
    {
        private readonly CancellationTokenSource _stopping = new();
        private Task _loops = Task.CompletedTask;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await store.MigrateAsync(cancellationToken);
            if (options.Enabled)
            {
                _loops = Task.WhenAll(
                    Task.Run(() => runner.RunAsync(_stopping.Token), CancellationToken.None),
                    Task.Run(() => scheduler.RunAsync(_stopping.Token), CancellationToken.None));
            }
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await _stopping.CancelAsync();
            try
            {
                await _loops.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The loops end by this cancellation; or the host's shutdown timeout passed with a run still stopping, whose
                // lease then expires and another host takes it over. Either way, not a failure of the stop.
            }
        }
    }
}
