"""The Textual board, a thin client of the stages below: the App (what every screen
shares), its screens (screens/), its widgets (widgets/), the queue of typed-ahead input.

May import everything but cli. The only package that imports Textual.
"""
