// Every way a Promise can fail, picked by params.how.
function main(params) {
  switch (params.how) {
    case 'error':
      return Promise.reject(new Error('sorry'));
    case 'empty':
      return new Promise((resolve, reject) => reject());
    case 'object':
      return new Promise((resolve, reject) => setTimeout(() => reject({ done: true }), 5));
    case 'string':
      return Promise.reject('nooooo');
    case 'async-throw':
      return (async () => { throw new Error('async boom'); })();
    case 'async-reference':
      return (async () => undefinedVariable.field)();
  }
  return new Promise((resolve) => setTimeout(() => resolve({ done: true }), 5));
}
