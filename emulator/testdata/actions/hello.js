// A Node.js action: greets, logs, and checks the Promise path.
exports.main = async function (params) {
  console.log('hello from node');
  await new Promise((resolve) => setTimeout(resolve, 10));
  return { greeting: `Hello, ${params.name || 'world'}!`, place: params.place };
};
