"""Package discovery: every syncsvc.* package, plus mappings/ shipped as syncsvc.mappings.

The catalogs live in the top-level mappings/ folder, where users read and copy them; setuptools'
pyproject-only configuration cannot combine automatic discovery with one remapped folder.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["syncsvc", "syncsvc.*"]), "syncsvc.mappings", "syncsvc.mappings.changes"],
    package_dir={"syncsvc.mappings": "mappings"},
)
