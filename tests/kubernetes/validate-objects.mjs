// Validates Kubernetes objects against the upstream OpenAPI schemas with the npm package kubernetes-models (5.1.0).
// Usage: node validate-objects.mjs MODULES_DIR OBJECTS.json
//   MODULES_DIR   the node_modules folder holding kubernetes-models (.tools/node_modules; see .ci/run)
//   OBJECTS.json  a JSON array of objects, each with apiVersion and kind
// Prints one line per object ("ok Kind/name" or "invalid Kind/name: reason") and exits 1 when any is invalid or unknown.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, objectsFile] = process.argv.slice(2);
if (!modules || !objectsFile) {
  console.error("usage: node validate-objects.mjs MODULES_DIR OBJECTS.json");
  process.exit(2);
}
const root = join(modules, "kubernetes-models");
if (!existsSync(join(root, "package.json"))) {
  console.error(`kubernetes-models is not installed under ${modules} (npm install --prefix .tools kubernetes-models@5.1.0)`);
  process.exit(2);
}

const objects = JSON.parse(readFileSync(objectsFile, "utf8"));
let failures = 0;
for (const object of objects) {
  const label = `${object.kind}/${object.metadata?.name ?? "?"}`;
  // "apps/v1" -> apps/v1/Kind.js; "v1" (the core group) -> v1/Kind.js
  const modelFile = join(root, ...String(object.apiVersion).split("/"), `${object.kind}.js`);
  if (!existsSync(modelFile)) {
    console.log(`invalid ${label}: kubernetes-models has no ${object.apiVersion} ${object.kind}`);
    failures++;
    continue;
  }
  const model = await import(pathToFileURL(modelFile).href);
  const Model = model[object.kind];
  try {
    new Model(object).validate();
    console.log(`ok ${label}`);
  } catch (error) {
    console.log(`invalid ${label}: ${error.message}`);
    failures++;
  }
}
process.exit(failures === 0 ? 0 : 1);
