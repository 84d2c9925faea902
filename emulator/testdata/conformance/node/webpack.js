// A webpack bundle hands its entry point over as a global.
function foo() {
  return { bar: true };
}
global.main = foo;
