// node_shim.js runs a Node.js action for specrun's emulator: node -e SHIM FILE.
// It reads the parameters (a JSON object) from stdin, loads FILE, calls its main(params),
// awaits the result and prints it as JSON on the last line of stdout. console output from the
// action goes before it and becomes the activation's logs.
'use strict';
const fs = require('fs');
const url = require('url');
const file = process.argv[1];

function fail(msg) {
  process.stderr.write(msg + '\n', () => process.exit(1));
}

async function load() {
  try {
    return require(file);
  } catch (e) {
    if (e && (e.code === 'ERR_REQUIRE_ESM' || e.code === 'ERR_REQUIRE_ASYNC_MODULE')) {
      return import(url.pathToFileURL(file).href);
    }
    throw e;
  }
}

function findMain(mod) {
  if (typeof mod === 'function') return mod;
  if (mod && typeof mod.main === 'function') return mod.main;
  if (mod && mod.default) return findMain(mod.default);
  return undefined;
}

(async () => {
  const input = fs.readFileSync(0, 'utf8');
  const params = input.trim() === '' ? {} : JSON.parse(input);
  const main = findMain(await load());
  if (typeof main !== 'function') {
    fail(`${file} exports no main function: add exports.main = function (params) { ... }`);
    return;
  }
  const result = await main(params);
  if (result === null || typeof result !== 'object' || Array.isArray(result)) {
    fail(`main returned ${Array.isArray(result) ? 'an array' : String(result)}, not an object`);
    return;
  }
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0));
})().catch((e) => fail(e && e.stack ? e.stack : String(e)));
