/** Help texts, one per command. */

export const MAIN_USAGE = `arazzo: run and check Arazzo 1.0 and 1.1 workflows

Usage:
  arazzo run <file> [options]        run a workflow
  arazzo validate <file> [options]   check a document (and its sources)
  arazzo list <file>                 workflows with their inputs and outputs
  arazzo graph <file> [options]      a workflow's steps as a Mermaid or Graphviz graph
  arazzo upgrade <file> [--write]    rewrite an Arazzo 1.0.x document as 1.1.0
  arazzo test <files|dirs|globs...>  run every workflow of every file; one line each and a summary
  arazzo mock <file> [--port n]      serve an OpenAPI (or Arazzo) document's operations as a mock server
  arazzo mcp <files|dirs...>         serve every workflow as an MCP tool for AI agents (stdio or --http)
  arazzo demo [--fast]               run the bundled Composio workflow against the built-in simulator
  arazzo worker --redis <url>        process queued runs (durable runs on BullMQ + Redis)
  arazzo enqueue <file> --redis <url> queue a run and print its id
  arazzo status <run-id> --redis <url> [--follow]   a queued run's status and result

Options:
  -h, --help      help for arazzo or a command (arazzo run --help)
  -v, --version   print the version

Exit codes: 0 succeeded, 1 workflow failed, 2 invalid document, unreadable file or usage error,
130 interrupted (Ctrl-C).
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
                             value env:NAME reads the environment variable NAME. OAuth 2.0 / OpenID
                             Connect: --auth <scheme>.<field>=value with clientId, clientSecret,
                             scopes, clientAuth, privateKey, keyId, flow, username, password,
                             refreshToken, redirectUri (flow=authorizationCode listens on loopback)
      --open                 open the authorization URL of flow=authorizationCode in a browser
      --cert <path>          client certificate (PEM) for mutual TLS; with --key <path>,
                             --key-passphrase <value|env:NAME>, --ca <path> (repeatable)
      --proxy <url>          forward proxy for every request (default: HTTP_PROXY/HTTPS_PROXY/NO_PROXY)
      --env-file <path>      NAME=value lines (dotenv syntax) for env:NAME values (repeatable; a later
                             file wins; the real environment wins over every file)
      --strict               refuse documents that need compat rewrites
      --max-steps <n>        step budget, every attempt counts (default 1000)
      --timeout <ms>         limit for the whole run
      --request-timeout <ms> limit per HTTP request (default 30000)
      --max-retry-delay <ms> cap on any retry wait (default 120000; 0 with --mock); 0 skips waits
      --mock                 answer every operation from its OpenAPI description (no network)
      --scenario <file>      with --mock: scripted responses per operation or step (YAML/JSON)
      --seed <n>             with --mock: seed for generated bodies and ids (default 1)
      --contract             check every response against its OpenAPI operation (status, content
                             type, body schema); failed checks fail the step
      --contract-severity <error|warning>  warning: record failed checks without failing the step
      --har <file>           record every request and response (masked) as an HTTP Archive 1.2 log
      --replay <file.har>    answer requests from a log recorded with --har, offline (method, path,
                             query and body must match; repeated calls are served in recorded order)
  -r, --reporter <name>      pretty (default), json, junit or html (one self-contained page); also
                             github: ::error annotations at the failing step's line:column on stdout and
                             the job summary to $GITHUB_STEP_SUMMARY, beside the report (-r junit -r github)
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

export const UPGRADE_USAGE = `Usage: arazzo upgrade <file> [options]

Rewrites an Arazzo 1.0.x document as 1.1.0: the arazzo field, and compat forms into spec forms
(unknown root fields become x- extensions, runtime expressions embedded without braces get them,
dotted navigation in expressions becomes a JSON Pointer, step retryAfter/retryLimit move into an
onFailure retry action). Comments, key order and layout
are kept. Prints the upgraded document to stdout and each change to stderr.

Options:
      --write            write the file in place instead (changes go to stdout)
      --no-color         no ANSI colour
  -h, --help             this help

Exit codes: 0 upgraded (or nothing to change), 2 unreadable file or not a 1.0.x document.
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
  -r, --reporter <name>  pretty (default), json, junit or html
      --verbose          show headers, bodies and every criterion
      --no-color         no ANSI colour
  -h, --help             this help
`;

export const TEST_USAGE = `Usage: arazzo test <files|folders|globs...> [options]

Runs every workflow of every Arazzo file (folders are searched recursively) and prints one line per
workflow, then "N passed, M failed". Exit code 1 when any workflow fails or a document is invalid.

Inputs come from a sidecar <file>.inputs.json next to each document (for shop.arazzo.yaml:
shop.arazzo.yaml.inputs.json, shop.arazzo.inputs.json or shop.inputs.json), holding the inputs object for every
workflow or { "workflows": { "<workflowId>": { ... } } }; then --inputs, then --input. With --mock,
inputs still missing are generated from the workflow's input schema (default, enum, example, format).

Options: every option of "arazzo run" (see arazzo run --help), and
  -w, --workflow <id>        run only workflows with this id
  -r, --reporter <name>      pretty (default), json, junit, html or github (::error annotations at the
                             failing step, job summary to $GITHUB_STEP_SUMMARY); to --output or stdout
  -o, --output <file>        where the json/junit/html report goes
      --sources-map <file>   JSON { "<path ending of an Arazzo file>": { "<source>": "<path>" } }: point
                             the sources of many files at the right OpenAPI documents (paths resolve
                             against the same root as the key)
      --scenario-dir <dir>   with --mock: <dir>/<file name>.yaml scripts that file's runs (shop.yaml
                             or shop.arazzo.yaml for shop.arazzo.yaml)

Examples:
  arazzo test specs/ --mock
  arazzo test 'workflows/**/*.arazzo.yaml' --server api=http://localhost:8080 -r junit -o report.xml
`;

export const MOCK_USAGE = `Usage: arazzo mock <openapi-or-arazzo-file> [options]

Serves every operation of an OpenAPI document (or of every OpenAPI source of an Arazzo document) on a
loopback HTTP server: examples first, else bodies generated from the response schemas.

Options:
      --port <n>         port to listen on (default 4010; 0 picks a free one)
      --host <addr>      interface to bind (default 127.0.0.1)
      --scenario <file>  scripted responses per operation (YAML/JSON; see the README)
      --seed <n>         seed for generated bodies and ids (default 1)
      --source <name=url> with an Arazzo file: replace a source description's URL (repeatable)
  -h, --help             this help

Stops on Ctrl-C.
`;

export const MCP_USAGE = `Usage: arazzo mcp <files|folders...> [options]

Serves every workflow of the given Arazzo documents as a Model Context Protocol tool: on stdio (the
default, for desktop and IDE clients) or on Streamable HTTP at http://127.0.0.1:<port>/mcp (--http).
Inputs that carry credentials (format: password, writeOnly, x-secret, inputs sent as a security scheme's
header/query/cookie, names given with --server-input or --input) are filled by the server and left out of
the tool schemas; no result, progress message or error contains them.

Options:
  -i, --input <name=value>   a server-side input value for every tool (repeatable); env:NAME reads the
                             environment variable NAME. Unset server inputs read ARAZZO_INPUT_<name>
      --server-input <name>  an input the server fills rather than the model (repeatable)
      --auth <scheme=value>  credential for an OpenAPI security scheme (repeatable); also fills inputs
                             that feed that scheme
      --env-file <file>      KEY=value lines for env:NAME and ARAZZO_INPUT_<name> (the environment wins)
      --source <name=url>    replace a source description's URL (repeatable)
      --server <name=url>    replace the server URL of a source's operations (repeatable)
      --strict               refuse documents that need compat rewrites
      --max-steps <n>        step budget per call (default 1000)
      --timeout <ms>         limit for each call's run
      --request-timeout <ms> limit per HTTP request (default 30000)
      --max-retry-delay <ms> cap on any retry wait (default 120000; 0 with --mock)
      --mock                 answer every operation from its OpenAPI description (no network)
      --scenario <file>      with --mock: scripted responses per operation or step
      --seed <n>             with --mock: seed for generated bodies and ids
      --http                 Streamable HTTP instead of stdio
      --port <n>             with --http: port (default 0, a free one; the URL is printed on stderr)
      --host <addr>          with --http: interface (default 127.0.0.1)
  -h, --help                 this help

A document that does not load stops the server at start-up (exit 2). Stops when stdin closes or on Ctrl-C.
Needs the optional packages @modelcontextprotocol/sdk and zod.
`;
