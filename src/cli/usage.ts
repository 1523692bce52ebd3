/** Help texts, one per command. */

export const MAIN_USAGE = `arazzo: run and check Arazzo 1.0 workflows

Usage:
  arazzo run <file> [options]        run a workflow
  arazzo validate <file> [options]   check a document (and its sources)
  arazzo list <file>                 workflows with their inputs and outputs
  arazzo graph <file> [options]      a workflow's steps as a Mermaid or Graphviz graph
  arazzo demo [--fast]               run the bundled Composio workflow against the built-in simulator

Options:
  -h, --help      help for arazzo or a command (arazzo run --help)
  -v, --version   print the version

Exit codes: 0 succeeded, 1 workflow failed, 2 invalid document, unreadable file or usage error.
Set ARAZZO_DEBUG=1 to see stack traces.
`;

export const RUN_USAGE = `Usage: arazzo run <file> [options]

Runs one workflow of an Arazzo document and reports every step.

Options:
  -w, --workflow <id>        workflow to run (default: the first one)
  -i, --input <name=value>   a workflow input, typed by the input schema (repeatable);
                             value env:NAME reads the environment variable NAME
      --inputs <file|->      inputs as a JSON object from a file or stdin; --input wins
      --source <name=url>    replace a source description's URL (repeatable)
      --server <name=url>    replace the server URL of a source's operations (repeatable)
      --auth <scheme=value>  credential for an OpenAPI security scheme (repeatable); user:pass for basic;
                             value env:NAME reads the environment variable NAME
      --strict               refuse documents that need compat rewrites
      --max-steps <n>        step budget, every attempt counts (default 1000)
      --timeout <ms>         limit for the whole run
      --request-timeout <ms> limit per HTTP request (default 30000)
      --max-retry-delay <ms> cap on any retry wait (default 120000); 0 skips waits
  -r, --reporter <name>      pretty (default), json or junit
  -o, --output <file>        write the report to a file (pretty progress still shows on stdout)
      --verbose              show headers, bodies and every criterion
      --no-color             no ANSI colour (also: NO_COLOR=1)
  -h, --help                 this help

Inputs and credentials given on the command line are masked in all output.
Exit codes: 0 succeeded, 1 workflow failed (also invalid inputs, step budget, timeout), 2 invalid
document, unreadable file or usage error.

Example:
  arazzo run workflow.yml --input apiKey=env:COMPOSIO_API_KEY --input userId=user_123
`;

export const VALIDATE_USAGE = `Usage: arazzo validate <file> [options]

Checks an Arazzo document and the source descriptions it names. Prints one line per finding:
  file:line:col severity code message

Options:
      --strict           compat rewrites become errors
  -r, --reporter <name>  pretty (default) or json
      --no-color         no ANSI colour
  -h, --help             this help

Exit codes: 0 valid (warnings allowed), 2 errors found or file unreadable.
`;

export const LIST_USAGE = `Usage: arazzo list <file> [options]

Lists the workflows of an Arazzo document: their inputs (type, required) and outputs.

Options:
  -r, --reporter <name>  pretty (default) or json
      --no-color         no ANSI colour
  -h, --help             this help
`;

export const GRAPH_USAGE = `Usage: arazzo graph <file> [options]

Prints a workflow's steps and transitions as a graph.

Options:
  -w, --workflow <id>    workflow to draw (default: the first one)
  -f, --format <name>    mermaid (default) or dot
  -h, --help             this help
`;

export const DEMO_USAGE = `Usage: arazzo demo [options]

Starts the Composio simulator on a free loopback port and runs the bundled
connect-account-via-auth-config workflow against it. The simulator keeps the account
INITIATED for one poll, so the workflow's real 3 s retryAfter wait happens once.

Options:
      --fast             skip retry waits (the run takes well under a second)
  -r, --reporter <name>  pretty (default), json or junit
      --verbose          show headers, bodies and every criterion
      --no-color         no ANSI colour
  -h, --help             this help
`;
