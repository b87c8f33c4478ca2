# The Streams host: `docker compose up` runs it against Kafka, PostgreSQL and MinIO (docker-compose.yml).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Host/Streams.Host.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# No system librdkafka: Confluent.Kafka binds to the self-contained build librdkafka.redist ships.
WORKDIR /app
COPY --from=build /app .
EXPOSE 8080
ENTRYPOINT ["/app/streams"]
CMD ["serve"]
