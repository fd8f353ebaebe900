"""nnlib: infrastructure for the 'Review of Neural Networks' course notebooks."""
__version__ = "0.1.0"
