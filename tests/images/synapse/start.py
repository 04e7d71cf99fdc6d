#!/usr/bin/python3
"""Entrypoint of the test Synapse image: the start-up contract of matrixdotorg/synapse's /start.py, which the AppHost
keeps as entrypoint, written for Debian's Synapse package.

  /start.py [run] [SYNAPSE ARGUMENTS...]
      Runs Synapse: `python -m <app> <arguments>`. Without "-m", the app is SYNAPSE_WORKER (default
      synapse.app.homeserver); without "--config-path"/"-c", the config is SYNAPSE_CONFIG_PATH (default
      SYNAPSE_CONFIG_DIR/homeserver.yaml, SYNAPSE_CONFIG_DIR defaulting to /data), which must exist.
  /start.py generate
      Writes a new config for SYNAPSE_SERVER_NAME (SYNAPSE_REPORT_STATS yes/no, both required) to SYNAPSE_CONFIG_PATH,
      with its data folder SYNAPSE_DATA_DIR (default /data), a log config that logs to standard output, and a
      signing key; keeps an existing config.

Whom Synapse runs as: UID:GID when UID is set (GID defaults to 991); 991:991 when started as root without UID;
otherwise the current user. The switch is made with gosu, as in the official image. The official image's legacy
modes (migrate_config, a config generated from environment variables at every start) are not implemented.
"""

import os
import subprocess
import sys

DEFAULT_APP = "synapse.app.homeserver"
IMAGE_USER = "991"

# Console logging only, so the container runtime (and Aspire's dashboard) shows Synapse's log.
LOG_CONFIG = """version: 1
formatters:
  precise:
    format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s'
filters:
  context:
    (): synapse.logging.context.LoggingContextFilter
    request: ""
handlers:
  console:
    class: logging.StreamHandler
    formatter: precise
    filters: [context]
loggers:
  synapse.storage.SQL:
    level: INFO
root:
  level: INFO
  handlers: [console]
disable_existing_loggers: false
"""


def fail(message: str) -> None:
    print(f"start.py: {message}", file=sys.stderr)
    sys.exit(2)


def ownership(environ) -> str | None:
    if "UID" in environ:
        return f"{environ['UID']}:{environ.get('GID', IMAGE_USER)}"
    if os.getuid() == 0:
        return f"{IMAGE_USER}:{IMAGE_USER}"
    return None


def exec_as(owner: str | None, command: list[str], environ) -> None:
    sys.stdout.flush()
    if owner is not None:
        os.execve("/usr/sbin/gosu", ["gosu", owner, *command], environ)
    os.execve(command[0], command, environ)


def config_path(environ) -> str:
    config_dir = environ.get("SYNAPSE_CONFIG_DIR", "/data")
    return environ.get("SYNAPSE_CONFIG_PATH", os.path.join(config_dir, "homeserver.yaml"))


def generate(environ, owner: str | None) -> None:
    for name in ("SYNAPSE_SERVER_NAME", "SYNAPSE_REPORT_STATS"):
        if not environ.get(name):
            fail(f"generate needs the environment variable {name}")
    server_name = environ["SYNAPSE_SERVER_NAME"]
    report_stats = environ["SYNAPSE_REPORT_STATS"]
    if report_stats not in ("yes", "no"):
        fail(f"SYNAPSE_REPORT_STATS must be 'yes' or 'no', not '{report_stats}'")
    path = config_path(environ)
    config_dir = environ.get("SYNAPSE_CONFIG_DIR", os.path.dirname(path) or "/data")
    data_dir = environ.get("SYNAPSE_DATA_DIR", "/data")
    if os.path.exists(path):
        print(f"start.py: {path} exists already; not generating a new config")
        return
    for folder in {config_dir, data_dir}:
        os.makedirs(folder, exist_ok=True)
    # Synapse keeps a log config it finds under this name instead of writing its own (which logs to a file).
    log_config = os.path.join(config_dir, f"{server_name}.log.config")
    if not os.path.exists(log_config):
        with open(log_config, "w", encoding="utf-8") as file:
            file.write(LOG_CONFIG)
    if owner is not None:
        # Synapse, running as the owner, writes the signing key and its data into these folders.
        subprocess.run(["chown", owner, config_dir, data_dir, log_config], check=True)
    command = [
        sys.executable, "-m", DEFAULT_APP,
        "--server-name", server_name,
        "--report-stats", report_stats,
        "--config-path", path,
        "--config-directory", config_dir,
        "--data-directory", data_dir,
        "--generate-config",
        "--open-private-ports",
    ]
    exec_as(owner, command, environ)


def run(arguments: list[str], environ, owner: str | None) -> None:
    if "-m" not in arguments:
        arguments = ["-m", environ.get("SYNAPSE_WORKER", DEFAULT_APP), *arguments]
    if not any(a == "-c" or a.startswith("--config-path") for a in arguments):
        path = config_path(environ)
        if not os.path.exists(path):
            fail(f"the config file {path} does not exist: give --config-path, or create one with the 'generate' mode")
        arguments = [*arguments, "--config-path", path]
    print("start.py: starting Synapse with " + " ".join(arguments), flush=True)
    exec_as(owner, [sys.executable, *arguments], environ)


def main(argv: list[str], environ) -> None:
    mode = argv[1] if len(argv) > 1 else "run"
    owner = ownership(environ)
    if mode == "generate":
        generate(environ, owner)
    elif mode == "run":
        run(argv[2:], environ, owner)
    else:
        fail(f"unknown mode '{mode}': this image knows 'run' and 'generate'")


if __name__ == "__main__":
    main(sys.argv, dict(os.environ))
