// Copy the run-time files of the npm packages that the web page uses into the Python package
// (src/eventscribe/web/vendor/), so `eventscribe serve` needs neither npm nor the internet.
// The copies are committed; `node vendor.mjs --check` (and tests/test_web.py) verify that they
// still match web/node_modules, i.e. the versions pinned in package-lock.json.
import { copyFileSync, mkdirSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const target = join(here, "..", "src", "eventscribe", "web", "vendor");

// [package, file inside the package, name in vendor/]
const FILES = [
  ["leaflet", "dist/leaflet.js", "leaflet/leaflet.js"],
  ["leaflet", "dist/leaflet.css", "leaflet/leaflet.css"],
  ["leaflet", "LICENSE", "leaflet/LICENSE"],
  ["leaflet.markercluster", "dist/leaflet.markercluster.js", "leaflet.markercluster/leaflet.markercluster.js"],
  ["leaflet.markercluster", "dist/MarkerCluster.css", "leaflet.markercluster/MarkerCluster.css"],
  ["leaflet.markercluster", "MIT-LICENCE.txt", "leaflet.markercluster/MIT-LICENCE.txt"],
  ["topojson-client", "dist/topojson-client.min.js", "topojson-client/topojson-client.min.js"],
  ["topojson-client", "LICENSE", "topojson-client/LICENSE"],
  ["world-atlas", "countries-50m.json", "world-atlas/countries-50m.json"],
  ["world-atlas", "LICENSE", "world-atlas/LICENSE"],
  ["swagger-ui-dist", "swagger-ui-bundle.js", "swagger-ui/swagger-ui-bundle.js"],
  ["swagger-ui-dist", "swagger-ui.css", "swagger-ui/swagger-ui.css"],
  ["swagger-ui-dist", "favicon-32x32.png", "swagger-ui/favicon-32x32.png"],
  ["swagger-ui-dist", "LICENSE", "swagger-ui/LICENSE"],
  ["swagger-ui-dist", "NOTICE", "swagger-ui/NOTICE"],
];

const check = process.argv.includes("--check");
const stale = [];
const versions = {};
for (const [pkg, file, name] of FILES) {
  const src = join(modules, pkg, file);
  const dst = join(target, name);
  versions[pkg] = JSON.parse(readFileSync(join(modules, pkg, "package.json"), "utf8")).version;
  if (check) {
    if (!existsSync(dst) || !readFileSync(src).equals(readFileSync(dst))) stale.push(name);
  } else {
    mkdirSync(dirname(dst), { recursive: true });
    copyFileSync(src, dst);
  }
}
const manifest = JSON.stringify({ generated_by: "web/vendor.mjs", versions }, null, 2) + "\n";
if (check) {
  const have = existsSync(join(target, "VERSIONS.json")) ? readFileSync(join(target, "VERSIONS.json"), "utf8") : "";
  if (have !== manifest) stale.push("VERSIONS.json");
  if (stale.length) {
    console.error(`vendored files differ from web/node_modules: ${stale.join(", ")} (run: cd web && npm run vendor)`);
    process.exit(1);
  }
  console.log("vendored files match web/node_modules");
} else {
  writeFileSync(join(target, "VERSIONS.json"), manifest);
  console.log(`copied ${FILES.length} files to ${target}`);
}
