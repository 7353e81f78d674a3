"""How captures look: text, HTML, pandas frames and plots. Nothing here touches a cursor."""
