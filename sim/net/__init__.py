"""The exercise server: one Session shared by several seats over the network, and its protocol."""
