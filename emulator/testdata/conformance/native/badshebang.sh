#!/nonexistent/interpreter
echo "{}"
