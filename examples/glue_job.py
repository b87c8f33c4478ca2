#!/usr/bin/env python3
"""The first boto3 script a Glue user writes, against Streams: crawl a lake folder, create a batch job over the
pipeline spec with bookmarks on, run it with an argument, wait for it. Only the endpoint URL differs from AWS.

    python3 examples/glue_job.py --endpoint-url http://127.0.0.1:8080 \
        --lake-path "$PWD/.streams/lake/orders" --script "$PWD/examples/demo/revenue_per_hour.yaml"
"""
import argparse
import sys
import time

import boto3

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--endpoint-url", default="http://127.0.0.1:8080")
parser.add_argument("--lake-path", required=True, help="the folder (or s3:// prefix) the crawler reads")
parser.add_argument("--script", required=True, help="the pipeline spec the job runs")
parser.add_argument("--database", default="lake")
parser.add_argument("--argument", action="append", default=[], help="a run argument, given as --argument=--name=value")
options = parser.parse_args()

glue = boto3.client("glue", endpoint_url=options.endpoint_url, region_name="us-east-1",
                    aws_access_key_id="any", aws_secret_access_key="any")

glue.create_database(DatabaseInput={"Name": options.database})
glue.create_crawler(Name="orders", Role="unused", DatabaseName=options.database,
                    Targets={"S3Targets": [{"Path": options.lake_path}]})
glue.start_crawler(Name="orders")
while glue.get_crawler(Name="orders")["Crawler"]["State"] != "READY":
    time.sleep(0.5)
last = glue.get_crawler(Name="orders")["Crawler"]["LastCrawl"]
print(f"crawl: {last['Status']}; tables: {[t['Name'] for t in glue.get_tables(DatabaseName=options.database)['TableList']]}")

glue.create_job(Name="revenue", Role="unused",
                Command={"Name": "glueetl", "ScriptLocation": options.script},
                DefaultArguments={"--job-bookmark-option": "job-bookmark-enable"})
arguments = dict(a.split("=", 1) for a in options.argument)
run_id = glue.start_job_run(JobName="revenue", Arguments=arguments)["JobRunId"]
while True:
    run = glue.get_job_run(JobName="revenue", RunId=run_id)["JobRun"]
    if run["JobRunState"] in ("SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT"):
        break
    time.sleep(0.5)
print(f"job run {run_id}: {run['JobRunState']} in {run['ExecutionTime']} s" + (f": {run['ErrorMessage']}" if "ErrorMessage" in run else ""))
bookmark = glue.get_job_bookmark(JobName="revenue")["JobBookmarkEntry"]
print(f"bookmark: run {bookmark['Run']}, {bookmark['Version']} files")
sys.exit(0 if run["JobRunState"] == "SUCCEEDED" else 1)
