// Code that throws while the action loads: an initialization failure.
const config = JSON.parse('{not json');
function main() {
  return config;
}
