// Result shapes, picked by params.shape.
function main(params) {
  switch (params.shape) {
    case 'array':
      return ['a', 'b'];
    case 'null':
      return null;
    case 'string':
      return 'not a json object';
    case 'number':
      return 42;
    case 'big':
      return { big: 'x'.repeat(1100000) };
    case 'unicode':
      return { winter: params.delimiter + ' \u2603 ' + params.delimiter };
  }
  return params;
}
