using Streams.Host.Cli;

return await StreamsCli.Create().Parse(args).InvokeAsync();
