// node_shim.js runs a Node.js action for specrun's emulator the way OpenWhisk's Node.js runtime
// does (apache/openwhisk-runtime-nodejs, runner.js and service.js): node -e SHIM FILE MAIN.
//
// The action's source is evaluated as the body of a function, so a plain top-level
// `function main`, `global.main = f`, `exports.main` and `module.exports.main` are all found,
// and MAIN names another entry point. The parameters arrive as one JSON object on stdin.
// The runtime's answers travel on file descriptor 3, never on stdout, one line each:
//
//   init 200 {"OK":true}          the action was loaded
//   init 502 {"error":"..."}      it could not be ("Initialization has failed due to: ...")
//   run CODE BODY                 the HTTP status and body the runtime would answer to /run
//
// stdout and stderr are the activation's logs, whatever the action prints.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');

const file = process.argv[1];
const mainName = process.argv[2] || 'main';

function answer(phase, code, body) {
  fs.writeSync(3, `${phase} ${code} ${body}\n`);
}

// OpenWhisk's runtime is an HTTP server (app.js, service.js start: app.listen) that stays up
// while /run is pending: an action whose promise never settles, with nothing else to do, runs
// into its time limit instead of ending the process. This timer stands for that server while
// a run is pending; finish releases it once the answer is written.
let pending;

function finish() {
  clearInterval(pending);
  process.stdout.write('', () => process.stderr.write('', () => process.exit(0)));
}

// serializeError follows npm serialize-error, which the runtime applies to a rejection:
// own enumerable properties first, then name, message, stack, code and cause.
function serializeError(value, seen = []) {
  if (typeof value === 'function') return `[Function: ${value.name || 'anonymous'}]`;
  if (value === null || typeof value !== 'object') return value;
  if (typeof value.toJSON === 'function' && !(value instanceof Error)) return value.toJSON();
  seen.push(value);
  const out = Array.isArray(value) ? [] : {};
  const copy = (key, v) => {
    if (typeof v === 'function') return;
    if (v && typeof v === 'object') {
      out[key] = seen.includes(v) ? '[Circular]' : serializeError(v, seen);
    } else {
      out[key] = v;
    }
  };
  for (const key of Object.keys(value)) copy(key, value[key]);
  for (const key of ['name', 'message', 'stack', 'code', 'cause']) {
    if (value[key] !== undefined && value[key] !== null && !(key in out)) copy(key, value[key]);
  }
  seen.pop();
  return out;
}

function load() {
  if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(mainName)) {
    throw `Action entrypoint '${mainName}' is not a function.`;
  }
  const code = fs.readFileSync(file, 'utf8');
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${code}
try {
  return ${mainName};
} catch (e) {
  if (e.name === 'ReferenceError') {
    return module.exports.${mainName} || exports.${mainName};
  }
  throw e;
}
})`;
  const fn = vm.runInThisContext(wrapper, { filename: file, displayErrors: false });
  const mod = new Module(file, null);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  const handler = fn.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  if (typeof handler !== 'function') {
    throw `Action entrypoint '${mainName}' is not a function.`;
  }
  return handler;
}

function init() {
  try {
    const handler = load();
    answer('init', 200, '{"OK":true}');
    return handler;
  } catch (error) {
    console.error('Error during initialization:', error);
    let why = error && error.stack ? String(error.stack) : error;
    // vm puts "file:line, the line, ^^^" before a SyntaxError's stack; the runtime's eval
    // does not (the logs above keep it).
    const head = error && error.name ? why.indexOf(`${error.name}: `) : -1;
    if (head > 0) why = why.slice(head);
    answer('init', 502, JSON.stringify({ error: `Initialization has failed due to: ${why}` }));
    finish();
    return undefined;
  }
}

function respond(result) {
  if (typeof result !== 'object') {
    console.error(`Result must be of type object but has type "${typeof result}":`, result);
    answer('run', 502, JSON.stringify({ error: 'The action did not return a dictionary.' }));
    return;
  }
  answer('run', 200, JSON.stringify(result));
}

function run(handler, params) {
  pending = setInterval(() => {}, 1 << 30);
  let result;
  try {
    result = handler(params);
  } catch (error) {
    console.error(error);
    answer('run', 502, JSON.stringify({ error: `An error has occurred: ${error}` }));
    finish();
    return;
  }
  Promise.resolve(result)
    .then((resolved) => (resolved === undefined ? {} : resolved),
      (error) => ({ error: error ? serializeError(error) : {} }))
    .then((settled) => {
      try {
        respond(settled);
      } catch (error) {
        answer('run', 502, JSON.stringify({ error: `An error has occurred: ${error}` }));
      }
      finish();
    });
}

const input = fs.readFileSync(0, 'utf8');
const params = input.trim() === '' ? {} : JSON.parse(input);
const handler = init();
if (handler) run(handler, params);
