def div(x, y):
    return x / y


def main(args):
    return {"divBy0": div(5, 0)}
