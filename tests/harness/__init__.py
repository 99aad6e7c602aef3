"""What every test layer and load/ share: ports, signals, the served stack, the lab driver,
accounts, and the one module that knows the example domain (domain.py).

The modules the deploy and cluster layers import run in the tools venv: stdlib only there.
"""
