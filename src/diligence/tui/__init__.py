"""The terminal front end: questionary prompts and rich output over the assessment's ports.

The only package (with `commands`) that imports questionary, prompt_toolkit or rich.
"""
