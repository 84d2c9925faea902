# Result shapes, picked by args["shape"].
def main(args):
    shape = args.get("shape")
    if shape == "array":
        return ["a", "b"]
    if shape == "none":
        return None
    if shape == "string":
        return "not a json object"
    if shape == "error-code":
        return {"error": "sorry", "code": 42}
    if shape == "big":
        return {"big": "x" * 1100000}
    if shape == "unicode":
        sep = args["delimiter"]
        return {"winter": sep + " \u2603 " + sep}
    return args
