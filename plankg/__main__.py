"""``python -m plankg`` runs the command line."""

from plankg.cli import cli

if __name__ == "__main__":
    cli(prog_name="plankg")
