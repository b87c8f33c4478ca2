// AWS Signature Version 4 for the Glue API and the console's own endpoints, with WebCrypto: the same
// signature the host's SigV4Verifier checks when Streams:Catalog:AccessKeys is set.

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

const encoder = new TextEncoder();

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function sha256(data: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", encoder.encode(data)));
}

async function hmac(key: ArrayBuffer | Uint8Array, data: string): Promise<ArrayBuffer> {
  const imported = await crypto.subtle.importKey("raw", key as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", imported, encoder.encode(data));
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(decodeURIComponent(segment)).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

function canonicalQuery(search: URLSearchParams): string {
  const pairs: [string, string][] = [];
  search.forEach((value, key) => pairs.push([encodeSegment(key), encodeSegment(value)]));
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/** The headers that sign a request to `url` (same origin) with `credentials`, over `body`. */
export async function signHeaders(
  credentials: Credentials,
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: string,
  now: Date = new Date(),
): Promise<Record<string, string>> {
  const amzDate = now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const payloadHash = await sha256(body);
  const all: Record<string, string> = { ...headers, host: url.host, "x-amz-date": amzDate, "x-amz-content-sha256": payloadHash };
  const names = Object.keys(all).map((n) => n.toLowerCase()).sort();
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) lower[k.toLowerCase()] = v.trim().replace(/ +/g, " ");
  const signedHeaders = names.join(";");
  const canonical = [
    method,
    url.pathname.split("/").map(encodeSegment).join("/") || "/",
    canonicalQuery(url.searchParams),
    names.map((n) => `${n}:${lower[n]}\n`).join(""),
    signedHeaders,
    payloadHash,
  ].join("\n");
  const scope = `${day}/${credentials.region}/glue/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${await sha256(canonical)}`;
  let key = await hmac(encoder.encode("AWS4" + credentials.secretAccessKey), day);
  key = await hmac(key, credentials.region);
  key = await hmac(key, "glue");
  key = await hmac(key, "aws4_request");
  const signature = hex(await hmac(key, stringToSign));
  const result: Record<string, string> = { ...headers, "x-amz-date": amzDate, "x-amz-content-sha256": payloadHash };
  result["authorization"] = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return result;
}
