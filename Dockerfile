# The Streams host: `docker compose up` runs it against Kafka, PostgreSQL and MinIO (docker-compose.yml).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Host/Streams.Host.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# Confluent.Kafka binds to the system librdkafka (the NuGet librdkafka.redist is not used).
RUN apt-get update && apt-get install -y --no-install-recommends librdkafka1 librdkafka-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
EXPOSE 8080
ENTRYPOINT ["/app/streams"]
CMD ["serve"]
