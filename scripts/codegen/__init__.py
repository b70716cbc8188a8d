"""The generator of openai_codex_types (run it as ``python scripts/generate_types.py``).

The runtime pin lives once, in packages/openai-codex/pyproject.toml (`openai-codex-cli-bin==X`).
The generator finds the installed runtime (`codex_cli_bin`, or `--codex PATH`), checks that
`codex --version` matches the pin, runs `codex app-server generate-json-schema` twice (stable and
`--experimental`), and writes pydantic v2 models plus the method registries into
packages/openai-codex-types/src/openai_codex_types/_generated/.

Output is deterministic: the same runtime gives byte-identical files.

Shape of the output:
- every schema definition becomes a class named like the definition (objects: ``CodexModel``
  subclasses; string enums: ``OpenEnum`` subclasses; unions and aliases: ``CodexRootModel``
  subclasses whose ``root`` holds the value); union members without a definition of their own
  are named by their schema title (``AgentMessageThreadItem``);
- tagged unions get a callable discriminator and a fallback member ``Unknown<Union>`` that keeps
  the raw data of a member this version does not know;
- fields are snake_case with the camelCase wire name as alias;
- what only the ``--experimental`` schema has (definitions, fields, union members, methods) is
  included and marked experimental (``json_schema_extra={"experimental": True}`` and the
  ``EXPERIMENTAL_*`` tables in ``_registry``);
- the classes are spread over many small modules, found through a generated name -> module
  index, so importing the package builds nothing and first use imports only what it needs.
"""

# One concept per module, in pipeline order:
#   settings      where the generator reads and writes, the pinned formatter's version
#   schema        finding the pinned runtime, dumping and loading its JSON schema
#   naming        Python names for schema names
#   spec, shapes  the intermediate representation, predicates on schema nodes
#   builder       schema definitions -> ClassSpecs
#   registry      method name -> params/result/payload definitions
#   layout        which generated module each class lives in
#   emit_*        text of the classes (models, unions/enums) and of the tables
#   generate      both schemas -> every generated file's text
#   formatting    the pinned ruff
#   output        writing the files, or --check against the committed ones
#   cli           the command line
