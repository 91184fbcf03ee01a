"""The TAP runner of the CLI test scripts (test_cli.py, test_io.py): every
function named test_* of a script's globals, in name order, one TAP line
each, a failure's traceback as comments."""
import traceback


def run_tests(namespace, cleanup=None):
    """Runs the tests of namespace (a script's globals()); cleanup, if
    given, after all. Returns the exit status: 1 if any test failed."""
    tests = [(k, v) for k, v in sorted(namespace.items())
             if k.startswith("test_") and callable(v)]
    print("1..%d" % len(tests))
    failed = 0
    for i, (name, fn) in enumerate(tests, 1):
        try:
            fn()
            print("ok %d - %s" % (i, name))
        except Exception:  # noqa: BLE001 - report every failure as TAP
            failed += 1
            print("not ok %d - %s" % (i, name))
            for line in traceback.format_exc().splitlines():
                print("# " + line)
    if cleanup:
        cleanup()
    return 1 if failed else 0
