"""What the assistant says next: from what a message says (bot.understanding), what the conversation
remembers and the content, to the reply. Pure Python: the actions in actions/ call it."""
