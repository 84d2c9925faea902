function main() {
  const env = {};
  for (const k of Object.keys(process.env).sort()) {
    if (k.startsWith('__OW_')) env[k] = process.env[k];
  }
  return env;
}
